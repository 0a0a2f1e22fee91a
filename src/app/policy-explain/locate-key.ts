import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/**
 * Where a key sits in a policy file, as "line 12, col 5" (the loader places its errors the same
 * way), so a warning points at the line to edit. Undefined when the key is not written in the file
 * (a default, or a section left out): then the key path alone says where it belongs.
 */
export function locateKey(yamlText: string): (path: readonly (string | number)[]) => string | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, merge: true });
  return (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
        );
        if (!pair) return undefined;
        offset = rangeStart(pair.key) ?? rangeStart(pair.value);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        offset = rangeStart(node);
      } else {
        return undefined;
      }
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, col ${col}`;
  };
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0];
}
