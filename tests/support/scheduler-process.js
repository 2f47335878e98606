// A scheduler under a test's control: the compiled EscalationService on its own pool, with a clock
// the test sets, ticking only when told (IPC messages), so that tests run ticks deterministically.
// `lock_timeout` turns a tick that would wait for a case another transaction holds into an error.
require('../../scripts/register-dist-paths.js');
require('reflect-metadata');
const { DataSource } = require('typeorm');
const { ConfigService } = require('@nestjs/config');
const { AppConfigService, loadPolicies } = require('@app/config');
const { EscalationService, ManualClock } = require('@app/domain');
const persistence = require('@app/persistence');

async function main() {
  const base = persistence.dataSourceOptions(process.env.DATABASE_URL, 2);
  const ds = new DataSource({ ...base, extra: { ...base.extra, options: '-c jit=off -c lock_timeout=10s' } });
  await ds.initialize();
  const clock = new ManualClock(new Date());
  const config = new AppConfigService(new ConfigService({ policies: loadPolicies() }));
  const service = new EscalationService(
    clock,
    new persistence.TransactionRunner(ds),
    new persistence.CasesRepository(),
    new persistence.TasksRepository(),
    new persistence.HistoryRecorder(new persistence.RecentCaseMemory()),
    config,
  );
  process.on('message', async (msg) => {
    try {
      if (msg.cmd === 'clock') {
        clock.set(new Date(msg.at));
        process.send({ id: msg.id, ok: true });
      } else if (msg.cmd === 'tick') {
        process.send({ id: msg.id, ok: true, escalated: await service.escalateOverdue() });
      } else if (msg.cmd === 'stop') {
        await ds.destroy();
        process.send({ id: msg.id, ok: true });
        process.disconnect();
      }
    } catch (err) {
      process.send({ id: msg.id, ok: false, error: String(err && err.message ? err.message : err) });
    }
  });
  process.send({ ready: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
