// Summarises a V8 .cpuprofile of the API process: where the time goes by layer (the split the README
// reports), then self time by package and by function. Module loading at start-up is left out of the
// split, and so is idle time. `writev` stands apart: on a shared machine a process is often switched out
// right at a socket write (the write wakes the reader), so its samples are mostly time spent waiting for
// a CPU, not work; compare it with the kernel CPU time the bench reports.
const { readFileSync } = require('node:fs');
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));

const STARTUP = /^(wrapSafe|compileSourceTextModule|parseCJS|Module\._load|Module\._compile|loadESM|readPackage)$/;
/** The layer of a sample, from its own frame and, when that is Node's or V8's, from its callers. */
function layer(id) {
  const own = byId.get(id).callFrame;
  if (own.functionName === '(idle)') return null;
  if (own.functionName === '(garbage collector)') return 'garbage collection';
  if (own.functionName === 'writev' || own.functionName === 'writeBuffer' || own.functionName === 'writeString')
    return 'socket writes (mostly waiting for a CPU)';
  for (let p = id; p; p = parent.get(p)) {
    const f = byId.get(p).callFrame;
    if (STARTUP.test(f.functionName)) return 'start-up (module loading)';
    const url = f.url ?? '';
    if (/node_modules\/(class-validator|class-transformer)\//.test(url)) return 'validation (class-transformer, class-validator)';
    if (/node_modules\/(fastify|@fastify|find-my-way|light-my-request|fast-json-stringify|avvio)\//.test(url)) return 'HTTP (Fastify)';
    if (/node_modules\/@nestjs\//.test(url)) return "Nest's pipeline (guards, pipes, interceptors)";
    if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-\w+|typeorm)\//.test(url) || /dist\/libs\/persistence\//.test(url))
      return 'persistence (pg, SQL, rows)';
    if (/node_modules\/xstate\//.test(url) || /dist\/libs\/case-workflow\//.test(url))
      return 'the machine and the rules (XState, case-workflow)';
    if (/dist\/libs\/audit\//.test(url)) return 'hashing and canonical JSON';
    if (/node_modules\/(pino|sonic-boom|thread-stream)\//.test(url) || /dist\/apps\/api\/src\/logging\//.test(url)) return 'logging';
    if (/dist\/(apps|libs)\//.test(url)) return 'application code (controllers, services, DTOs)';
    if (/node_modules\/(jsonwebtoken|jws|jwa|@nestjs\/jwt)\//.test(url)) return 'tokens';
  }
  return 'Node internals (HTTP parsing, streams, timers, promises)';
}

const split = new Map();
let busy = 0;
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const l = layer(id);
  if (l === null) continue;
  if (l !== 'start-up (module loading)') {
    split.set(l, (split.get(l) ?? 0) + us);
    busy += us;
  }
  const n = byId.get(id);
  const url = n.callFrame.url || '(native)';
  const key = `${n.callFrame.functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  const p = m ? m[1] : url.includes('/dist/') ? 'app (dist)' : url.startsWith('node:') ? 'node core' : 'node core/other';
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const total = [...pkg.values()].reduce((a, b) => a + b, 0);
const pct = (x, of) => `${((x / of) * 100).toFixed(1)}%`;
const writes = [...split].find(([k]) => k.startsWith('socket'))?.[1] ?? 0;
console.log(`Split of the busy time (${(busy / 1e6).toFixed(1)} s, start-up and idle left out):`);
for (const [k, v] of [...split].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(v, busy).padStart(6)}  ${k}`);
console.log('The same without the socket writes:');
for (const [k, v] of [...split].filter(([k]) => !k.startsWith('socket')).sort((a, b) => b[1] - a[1]))
  console.log(`  ${pct(v, busy - writes).padStart(6)}  ${k}`);
console.log('By package (self time, busy):');
for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(v, total).padStart(6)}  ${k}`);
console.log('Top functions (self, busy):');
for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(v, total).padStart(6)}  ${k}`);
