import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { InputError } from './errors.js';

/** Experiment files larger than this are refused before parsing (they are hand-written). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/**
 * Experiment files with more items than this (lines plus flow-collection commas) are refused
 * before parsing: the YAML parser needs seconds per hundred thousand items, so a hostile file of
 * millions would look like a hang. The largest legitimate list (100 000 empirical samples) fits.
 */
export const MAX_ITEMS = 250_000;

export interface SourceFile {
  readonly path: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses a YAML file as data only (no custom tags, no code), keeping positions for errors. */
export function readYamlFile(path: string): SourceFile {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    if (st.size > MAX_FILE_BYTES) throw new InputError(`${path}: file is ${st.size} bytes, more than the ${MAX_FILE_BYTES}-byte limit for an experiment file`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseYamlText(path, text);
}

export function parseYamlText(path: string, text: string): SourceFile {
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44) items++; // '\n' or ','
  }
  if (items > MAX_ITEMS) throw new InputError(`${path}: ${items} lines and list items, more than the ${MAX_ITEMS} an experiment file may hold`);
  const lines = new LineCounter();
  // maxAliasCount (toData) bounds alias expansion (billion laughs). Duplicate keys are checked
  // below: the library's own check (uniqueKeys) compares every pair, minutes on a 50k-key map.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true });
  const problem = doc.errors[0];
  if (problem) {
    const pos = lines.linePos(problem.pos[0]);
    throw new InputError(`${path}:${pos.line}:${pos.col}: invalid YAML: ${problem.message.split('\n')[0]}`);
  }
  rejectDuplicateKeys(path, doc, lines);
  return { path, doc, lines };
}

/** Rejects a map with the same key twice (YAML 1.2 requires unique keys), in linear time. */
function rejectDuplicateKeys(path: string, doc: Document.Parsed, lines: LineCounter): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? JSON.stringify(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const pos = lines.linePos((pair.key as Node | null)?.range?.[0] ?? map.range?.[0] ?? 0);
          throw new InputError(`${path}:${pos.line}:${pos.col}: invalid YAML: map keys must be unique; ${key} appears twice`);
        }
        seen.add(key);
      }
    },
  });
}

/** Converts the document to plain JS data (aliases resolved, bounded). */
export function toData(src: SourceFile): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new InputError(`${src.path}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** "file:line:col" of the node at `path`, or of its nearest existing ancestor. */
export function locate(src: SourceFile, path: readonly PropertyKey[]): string {
  let node: Node | null = src.doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      const k = pair.key as Node | null;
      node = pair.value as Node | null;
      offset = node?.range?.[0] ?? k?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else break;
  }
  const pos = src.lines.linePos(offset);
  return `${src.path}:${pos.line}:${pos.col}`;
}

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
