import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstUnenterableFolder } from '../../libs/persistence/src/folder-access';
import { freePort, ROOT } from '../support/global-setup';

/** As root, the embedded PostgreSQL runs as `postgres`, who must be able to enter the folders it uses. */
describe('the embedded PostgreSQL started as root from a folder others cannot enter', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'pcw-access-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('finds the first folder on the way that another user cannot enter', () => {
    const closed = join(base, 'home');
    mkdirSync(join(closed, 'work', 'clone'), { recursive: true });
    chmodSync(base, 0o755);
    chmodSync(closed, 0o700);
    const stranger = { uid: 4_000_001, gids: [4_000_001] };
    expect(firstUnenterableFolder(join(closed, 'work', 'clone', 'not-yet'), stranger)).toBe(closed);
    expect(firstUnenterableFolder(join(closed, 'work', 'clone'), null)).toBe(closed); // no such user yet: only "others"
    chmodSync(closed, 0o711);
    expect(firstUnenterableFolder(join(closed, 'work', 'clone'), stranger)).toBeNull();
    chmodSync(closed, 0o710);
    expect(firstUnenterableFolder(join(closed, 'work', 'clone'), stranger)).toBe(closed);
    const owner = { uid: process.getuid?.() ?? 0, gids: [] };
    expect(firstUnenterableFolder(join(closed, 'work', 'clone'), owner)).toBeNull();
  });

  (process.getuid?.() === 0 ? it : it.skip)('npm start stops with one sentence saying what to do (root only)', async () => {
    chmodSync(base, 0o755);
    const closed = join(base, 'root-like');
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: join(closed, 'data'),
        EMBEDDED_PG_PORT: String(await freePort()),
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^The embedded PostgreSQL runs as the "postgres" user .* cannot enter ${closed}: .*DATABASE_URL`));
    expect(r.stderr).not.toMatch(/EACCES|\n\s+at /);
  });
});
