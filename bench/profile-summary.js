// Summarises a V8 .cpuprofile: self time by function and by package, to see where the time goes.
const { readFileSync } = require('node:fs');
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const url = n.callFrame.url || '(native)';
  const key = `${n.callFrame.functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  const p = m
    ? m[1]
    : url.includes('/dist/')
      ? 'app (dist)'
      : url.startsWith('node:')
        ? 'node core'
        : n.callFrame.functionName.startsWith('(')
          ? n.callFrame.functionName
          : 'node core/other';
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const pct = (x) => `${((x / total) * 100).toFixed(1)}%`;
console.log('By package:');
for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log('Top functions (self):');
for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
