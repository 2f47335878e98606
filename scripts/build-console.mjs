// Builds the review console (apps/console) into dist/console, which the API serves at `/`.
// Skipped when nothing it is built from changed since the last build (a hash of its sources, the
// lock file and this script). Prints the size of every chunk and of the first screen, gzipped.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'apps', 'console');
const out = join(root, 'dist', 'console');
const stamp = join(out, '.source-hash');
/** The first screen's gzipped JavaScript may not exceed this (issue 10). */
export const FIRST_SCREEN_BUDGET = 500 * 1024;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function sourceHash() {
  const h = createHash('sha256');
  for (const f of [...files(app).sort(), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

/** Sizes from the Vite manifest: every JS chunk, and the entry with its static imports (the first screen). */
export function bundleSizes() {
  const manifest = JSON.parse(readFileSync(join(out, '.vite', 'manifest.json'), 'utf8'));
  const gz = (file) => gzipSync(readFileSync(join(out, file))).length;
  const chunks = Object.values(manifest)
    .filter((c) => c.file.endsWith('.js'))
    .map((c) => ({ file: c.file, bytes: statSync(join(out, c.file)).size, gzip: gz(c.file) }));
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const first = new Set();
  const walk = (key) => {
    const c = manifest[key];
    if (!c || first.has(c.file)) return;
    first.add(c.file);
    (c.imports ?? []).forEach(walk);
  };
  walk(entryKey);
  const firstScreenGzip = chunks.filter((c) => first.has(c.file)).reduce((n, c) => n + c.gzip, 0);
  return { chunks, firstScreenFiles: [...first], firstScreenGzip };
}

function printSizes() {
  const { chunks, firstScreenGzip } = bundleSizes();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  process.stdout.write('console bundle (JavaScript):\n');
  for (const c of chunks.sort((a, b) => b.gzip - a.gzip))
    process.stdout.write(`  ${c.file.padEnd(48)} ${kb(c.bytes).padStart(10)}  gzip ${kb(c.gzip).padStart(9)}\n`);
  process.stdout.write(`  first screen: ${kb(firstScreenGzip)} gzipped (budget ${kb(FIRST_SCREEN_BUDGET)})\n`);
}

async function main() {
  if (process.argv.includes('--sizes-json')) {
    process.stdout.write(`${JSON.stringify(bundleSizes())}\n`);
    return;
  }
  const force = process.argv.includes('--force');
  const hash = sourceHash();
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(join(out, 'index.html'))) {
    process.stdout.write('console: up to date, build skipped\n');
    return;
  }
  const started = Date.now();
  // Jest sets NODE_ENV=test; the console is always built as production (React's production build).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(app, 'vite.config.mts'), mode: 'production', logLevel: 'warn' });
  writeFileSync(stamp, hash);
  process.stdout.write(`console: built into dist/console in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  printSizes();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`console build failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
