import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve, relative, isAbsolute } from 'node:path';

/** Writes a file atomically: to a temp file beside it, then rename (readers never see half a file). */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Joins a file name under `dir`, refusing any name that would escape it. */
export function within(dir: string, name: string): string {
  const full = resolve(dir, name);
  const rel = relative(resolve(dir), full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to write ${name} outside ${dir}`);
  return join(dir, rel);
}

/** Writes files atomically under `dir` (names checked by `within`) and lists the paths written, in order. */
export function atomicWriter(dir: string): { put: (name: string, content: string | Uint8Array) => void; files: string[] } {
  const files: string[] = [];
  const put = (name: string, content: string | Uint8Array) => {
    const path = within(dir, name);
    writeAtomic(path, content);
    files.push(path);
  };
  return { put, files };
}
