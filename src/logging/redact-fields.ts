/**
 * Field redaction for log lines, in one walk of the logged object. pino's `redact` takes one path
 * per key and depth (`token`, `*.token`, `*.*.token`, ...: 238 here) and tries every one of them on
 * every line: about 170 µs for a request line, paid on every Slack event
 * (bench/ack-latency.bench.ts). This walk makes the whole line cost about 3 µs.
 */
export interface FieldRedactor {
  /**
   * `value` with every field named like a secret replaced by the censor, down to the redactor's
   * depth counted from `level`. The caller's objects are never changed: what changes is copied
   * (only the objects on the way to a secret). Top-level fields named in `leave` are left as they
   * are (errors, for their serializer: it needs the Error itself; its output is redacted then).
   */
  redact<T>(value: T, options?: { level?: number; leave?: ReadonlySet<string> }): T;
}

export function fieldRedactor(keys: readonly string[], depth: number, censor: string): FieldRedactor {
  const secret = new Set(keys);

  const walk = (
    value: unknown,
    level: number,
    seen: Map<object, unknown>,
    leave?: ReadonlySet<string>,
  ): unknown => {
    if (value === null || typeof value !== 'object' || level >= depth) return value;
    if (seen.has(value)) return seen.get(value);
    // What the JSON of the line will show: toJSON's answer (a Date, axios headers), not the object.
    const shown = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? jsonOf(value) : value;
    if (shown === null || typeof shown !== 'object' || ArrayBuffer.isView(shown)) return shown;
    seen.set(value, shown); // a cycle back to an object being walked keeps the original reference
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(shown)) {
      if (leave?.has(key)) continue;
      const field = readField(shown, key);
      const clean = secret.has(key) && field !== undefined ? censor : walk(field, level + 1, seen);
      if (clean === field) continue;
      copy ??= (Array.isArray(shown) ? [...shown] : { ...shown }) as Record<string, unknown>;
      copy[key] = clean;
    }
    const result = copy ?? shown;
    seen.set(value, result);
    return result;
  };

  return {
    redact: <T>(value: T, { level = 0, leave }: { level?: number; leave?: ReadonlySet<string> } = {}) =>
      walk(value, level, new Map(), leave) as T,
  };
}

/** A getter that throws must not turn a log line into an exception: the line shows what JSON would. */
function readField(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function jsonOf(value: object): unknown {
  try {
    return (value as { toJSON(): unknown }).toJSON();
  } catch {
    return value;
  }
}
