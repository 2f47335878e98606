import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root: the nearest folder above `from` holding package.json and config/. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root (package.json and config/) above ${from}`);
    dir = parent;
  }
}
