// Reads the JSON fixtures shipped in fixtures/ (D-U-N-S directory, demo organisation, ...).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether running from src/ (tsx) or dist/src/ (built). */
export const REPO_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
  return dir;
})();

export function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures', name), 'utf8')) as T;
}

/** A text fixture read as a list: one entry a line, blank lines and '#' comments skipped. */
export function readFixtureLines(name: string): string[] {
  return fs.readFileSync(path.join(REPO_ROOT, 'fixtures', name), 'utf8').split('\n')
    .map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.length > 0);
}
