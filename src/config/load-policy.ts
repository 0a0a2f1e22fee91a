/**
 * Escalation policy file (YAML) -> typed `Policy`. Every problem is reported at once, each with the
 * line and column, the key path (`paths.tech.levels[1].ackWithin`) and what is allowed, so an admin
 * can fix the whole file in one pass.
 */
import { readFileSync } from 'node:fs';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type EscalationPath, type Policy, PRIORITIES, type Priority } from '../domain/policy.js';
import { ConfigError } from './config-error.js';
import { CHANNEL_HINT, type ParsedPolicy, policySchema, show } from './policy-schema.js';

type Segment = string | number;

/** One problem, placed by key path; `atKey` places it on the key itself (unknown keys) not its value. */
interface Problem {
  path: Segment[];
  message: string;
  atKey?: boolean;
}

/** Reads and parses a policy file; a missing or unreadable file is a `ConfigError` too. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`Escalation policy ${path} cannot be read:`, [
      `${reason}: check the path (POLICY_FILE), or start from escalation-policy.example.yaml`,
    ]);
  }
  return parsePolicy(text, path);
}

/** Parses policy YAML; `fileName` is only used in messages. Throws one `ConfigError` listing every problem. */
export function parsePolicy(yamlText: string, fileName: string): Policy {
  const lineCounter = new LineCounter();
  // YAML 1.2 (the default) keeps `09:00`, `NO` and `2026-12-24` as strings; merge keys allow `<<: *level`.
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, merge: true });
  const fail = (problems: string[]): never => {
    throw new ConfigError(`Escalation policy ${fileName} is invalid:`, problems);
  };

  // A syntax error makes the rest of the tree unreliable, so those are reported alone.
  if (doc.errors.length > 0) {
    fail(doc.errors.map((e) => `${position(lineCounter, e.pos[0])}YAML syntax error: ${e.message}`));
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // e.g. aliases expanding without bound (a "billion laughs" file), which yaml refuses.
    fail([`YAML error: ${(error as Error).message}`]);
  }
  if (raw === null || raw === undefined) {
    fail([
      'the file is empty: it needs at least timezone, supportChannels, priorities, defaultPriority and paths',
    ]);
  }

  const result = policySchema.safeParse(raw);
  const problems = [...shapeProblems(result.error), ...referenceProblems(raw)];
  if (problems.length > 0 || !result.data) {
    const placed = problems.map((p) => ({ ...p, offset: locate(doc, p) }));
    // File order reads best; problems that cannot be placed (none expected) go last.
    placed.sort((a, b) => (a.offset ?? Number.MAX_SAFE_INTEGER) - (b.offset ?? Number.MAX_SAFE_INTEGER));
    fail(placed.map((p) => `${position(lineCounter, p.offset)}${keyPath(p.path)}${p.message}`));
  }
  return toPolicy(result.data as ParsedPolicy);
}

/** zod issues -> problems; an unknown-keys issue becomes one problem per key, each placed on its key. */
function shapeProblems(error: z.ZodError | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error?.issues ?? []) {
    const path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      // The message has one line per key, in key order (see `mapping` in policy-schema.ts).
      const lines = issue.message.split('\n');
      issue.keys.forEach((key, i) => {
        problems.push({ path: [...path, key], message: lines[i] ?? issue.message, atKey: true });
      });
    } else {
      problems.push({ path, message: issue.message });
    }
  }
  return problems;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isRecord(v) ? Object.entries(v) : []);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isPriority = (v: unknown): v is Priority => PRIORITIES.includes(v as Priority);

/**
 * Rules that relate parts of the file to each other. They read the raw YAML defensively (any part may
 * be malformed) and skip values whose own shape is wrong, since the schema already reports those.
 */
function referenceProblems(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  const root = isRecord(raw) ? raw : {};
  const paths = isRecord(root.paths) ? root.paths : {};
  const pathNames = Object.keys(paths);
  const defined = isRecord(root.priorities) ? Object.keys(root.priorities).filter(isPriority) : [];
  const definedText = defined.length > 0 ? `defined are ${defined.join(', ')}` : 'none are defined';

  const checkPath = (name: unknown, at: Segment[]): boolean => {
    if (typeof name !== 'string' || name === '' || Object.hasOwn(paths, name)) return true;
    const known =
      pathNames.length > 0 ? `defined paths are ${pathNames.join(', ')}` : 'no paths are defined under paths';
    problems.push({ path: at, message: `no path named ${show(name)}: ${known}` });
    return false;
  };

  const seen = new Set<string>();
  items(root.supportChannels).forEach((entry, i) => {
    if (!isRecord(entry)) return;
    checkPath(entry.path, ['supportChannels', i, 'path']);
    if (typeof entry.channel !== 'string') return;
    if (seen.has(entry.channel)) {
      problems.push({
        path: ['supportChannels', i, 'channel'],
        message: `${show(entry.channel)} is listed twice: list each channel once`,
      });
    }
    seen.add(entry.channel);
  });

  for (const [name, trigger] of entries(root.triggers)) {
    if (!isRecord(trigger)) continue;
    const at = ['triggers', name];
    if (checkPath(trigger.path, [...at, 'path']) && typeof trigger.path === 'string') {
      const levels = items(
        isRecord(paths[trigger.path]) ? (paths[trigger.path] as Record<string, unknown>).levels : [],
      );
      const level = trigger.level;
      if (Number.isInteger(level) && (level as number) > levels.length && levels.length > 0) {
        problems.push({
          path: [...at, 'level'],
          message: `level ${level} is beyond path "${trigger.path}", which has ${levels.length} level${levels.length === 1 ? '' : 's'}: use 1 to ${levels.length}`,
        });
      }
    }
    if (isPriority(trigger.priority) && !defined.includes(trigger.priority)) {
      problems.push({
        path: [...at, 'priority'],
        message: `${trigger.priority} is not defined under priorities (${definedText}): define it there or use a defined one`,
      });
    }
    // Without phrases of its own, replacing the defaults would leave nothing to match.
    if (
      (name === 'managerRequest' || name === 'legal') &&
      trigger.replaceDefaults === true &&
      items(trigger.phrases).length === 0
    ) {
      problems.push({
        path: [...at, 'replaceDefaults'],
        message:
          'replaceDefaults: true with no phrases leaves nothing to match: list phrases, or leave replaceDefaults out to use the built-in ones',
      });
    }
    if (name === 'highValue' && items(trigger.accounts).length === 0 && trigger.amountOver === undefined) {
      problems.push({
        path: at,
        message:
          'highValue needs accounts or amountOver to fire: add accounts: [{ match: acme.com, tier: enterprise }] or amountOver: { value: 10000, currency: AUD }',
      });
    }
  }

  if (isPriority(root.defaultPriority) && !defined.includes(root.defaultPriority)) {
    problems.push({
      path: ['defaultPriority'],
      message: `${root.defaultPriority} is not defined under priorities (${definedText}): define it there or use a defined one`,
    });
  }

  for (const [name, path] of entries(paths)) {
    // JavaScript objects cannot hold this key as data: the path would silently vanish.
    if (name === '__proto__') {
      problems.push({
        path: ['paths', name],
        atKey: true,
        message: '"__proto__" cannot name a path: choose another name, such as tech',
      });
    }
    items(isRecord(path) ? path.levels : []).forEach((level, i) => {
      if (isRecord(level) && level.channel === undefined && level.webhook === undefined) {
        problems.push({
          path: ['paths', name, 'levels', i],
          message: `a level needs a channel or a webhook: add channel (${CHANNEL_HINT}) or webhook: { url: https://... }`,
        });
      }
    });
  }

  // "HH:MM" strings compare correctly as text; a malformed time is reported by the schema instead.
  const hours = isRecord(root.businessHours) ? root.businessHours : {};
  const isTime = (v: unknown): v is string => typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v);
  if (isTime(hours.start) && isTime(hours.end) && hours.end <= hours.start) {
    problems.push({
      path: ['businessHours', 'end'],
      message: `${show(hours.end)} is not after start ${show(hours.start)}: business hours must end after they start, on the same day`,
    });
  }
  return problems;
}

/**
 * Offset in the text of the node a problem is about: the value at its path, or the nearest enclosing
 * node that exists (a missing key is placed on the mapping that should hold it).
 */
function locate(doc: Document, problem: Problem): number | undefined {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (const [i, segment] of problem.path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      // Compare as text: YAML may have parsed a key such as `1` as a number.
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      if (problem.atKey && i === problem.path.length - 1) return startOf(pair.key) ?? offset;
      node = pair.value;
      offset = startOf(pair.value) ?? startOf(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

function position(lineCounter: LineCounter, offset: number | undefined): string {
  if (offset === undefined) return '';
  const { line, col } = lineCounter.linePos(offset);
  return `line ${line}, col ${col}: `;
}

/** `['paths', 'tech', 'levels', 1, 'ackWithin']` -> `paths.tech.levels[1].ackWithin: ` ('' for the root). */
function keyPath(path: Segment[]): string {
  if (path.length === 0) return '';
  const text = path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  return `${text}: `;
}

/** Schema output -> the domain `Policy`: durations become the `...Ms` fields, paths get their names. */
function toPolicy(parsed: ParsedPolicy): Policy {
  const { systemic, ...otherTriggers } = parsed.triggers;
  // No prototype: a path name typed by an agent ("escalate to constructor") must not find
  // Object.prototype's members, and a path named like one must stay an ordinary key.
  const paths: Record<string, EscalationPath> = Object.create(null);
  for (const [name, path] of Object.entries(parsed.paths)) {
    paths[name] = {
      name,
      type: path.type,
      levels: path.levels.map(({ ackWithin, resolveWithin, ...level }) => ({
        ...level,
        ...(ackWithin !== undefined ? { ackWithinMs: ackWithin } : {}),
        ...(resolveWithin !== undefined ? { resolveWithinMs: resolveWithin } : {}),
      })),
    };
  }
  const priorities: Policy['priorities'] = {};
  for (const p of PRIORITIES) {
    const sla = parsed.priorities[p];
    if (sla) priorities[p] = { firstResponseMs: sla.firstResponse, resolveMs: sla.resolve, clock: sla.clock };
  }
  const triggers: Policy['triggers'] = { ...otherTriggers };
  if (systemic) {
    const { within, ...rest } = systemic;
    triggers.systemic = { ...rest, withinMs: within };
  }
  return {
    timezone: parsed.timezone,
    businessHours: parsed.businessHours,
    checker: { everyMs: parsed.checker.every },
    staff: parsed.staff,
    supportChannels: parsed.supportChannels,
    priorities,
    defaultPriority: parsed.defaultPriority,
    paths,
    triggers,
    ...(parsed.digest ? { digest: parsed.digest } : {}),
    retention:
      parsed.retention.messageText !== undefined ? { messageTextMs: parsed.retention.messageText } : {},
    followUp: { csat: parsed.followUp.csat, reopenWithinMs: parsed.followUp.reopenWithin },
    products: parsed.products,
    knowledge: {
      similarity: parsed.knowledge.similarity,
      withinMs: parsed.knowledge.within,
      suggestions: parsed.knowledge.suggestions,
    },
    transcripts: parsed.transcripts,
  };
}
