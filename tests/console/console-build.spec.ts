import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/global-setup';

/** Global setup compiled the API and built the console; these read what it produced. */
describe('console build', () => {
  it('keeps the generated API types (apps/console/src/api/schema.d.ts) in step with the API', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'console-api.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('loads the first screen with at most 500 KB of gzipped JavaScript; the screens are separate chunks', () => {
    const sizes = JSON.parse(
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs'), '--sizes-json'], { encoding: 'utf8' }),
    ) as {
      chunks: { file: string; gzip: number }[];
      firstScreenFiles: string[];
      firstScreenGzip: number;
    };
    expect(sizes.firstScreenGzip).toBeLessThanOrEqual(500 * 1024);
    for (const screen of ['my-work-page', 'case-workspace-page', 'case-list-page']) {
      const chunk = sizes.chunks.find((c) => c.file.includes(screen));
      expect(chunk).toBeDefined();
      expect(sizes.firstScreenFiles).not.toContain(chunk!.file);
    }
  });

  it('skips the build when nothing changed', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs')], { encoding: 'utf8' });
    expect(out).toMatch(/up to date, build skipped/);
  });
});
