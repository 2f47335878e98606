/**
 * `npm run audit:verify -- --database-url postgres://…`: recomputes every hash chain of a database (a
 * copy is fine) without starting the API. Reads in keyset batches on one REPEATABLE READ READ ONLY
 * snapshot, so memory stays flat at millions of entries and a live database gives a consistent answer.
 *
 * Exit codes: 0 every chain valid, 1 a chain is broken, 2 usage error or the database could not be read.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { openCheckpointStore, SummaryBuilder, verifyCaseChains, verifyChainStream, type ChainResult } from '@app/audit';
import { CaseRecordsCheck, type CaseRecordDifference } from '@app/case-workflow';
import {
  readCaseEntries,
  readCaseRows,
  readSystemEntries,
  readSystemHead,
  type CaseRowHead,
  type Queryable,
} from '../libs/persistence/src/audit-chain.reader';
import { verifyStoredFiles } from '../libs/persistence/src/stored-files';
import { verifyAgainstCheckpoints, type CheckpointVerification } from '../libs/persistence/src/anchors';
import { withDefaultUser } from '../libs/config/src/database-url';
import { S3_BUCKET_NAME } from '../libs/config/src/environment';

const USAGE = `Usage: npm run audit:verify -- --database-url postgres://user:pass@host:5432/db [options]

Recomputes the audit hash chains (one per case, plus the system chain) and compares each with its stored head,
replays each case's chain through the workflow machine and compares the case row (state, version, snapshot,
proposal, amounts) with the result, then hashes every stored file (evidence, issued documents) again and
compares it with its chain entry.

Options:
  --database-url <url>  the database to check (required)
  --case <uuid>         check only this case's chain
  --checkpoints <dir>   also check the chains against the signed checkpoints in this folder (CHECKPOINT_DIR),
                        or in a bucket: s3://<bucket>/<prefix>/ (credentials from the AWS_* variables or profile)
  --s3-endpoint <url>   the S3-compatible service's URL (MinIO, Ceph…), when not AWS
  --s3-region <region>  the bucket's region (default us-east-1)
  --public-key <file>   the Ed25519 public key (PEM) to check them with (default: public-key.pem kept with them)
  --verbose             print a line for every chain, not only the broken ones
  --json                print the summary as one JSON object on stdout
  --batch-size <n>      rows read per query (default 5000)
  --help                show this text

Exit codes: 0 all valid, 1 a chain is broken, a case row or file differs from its chain, or a checkpoint does not
hold or no longer matches its chain, 2 usage error or the database could not be read.`;

interface Options {
  databaseUrl: string;
  caseId?: string;
  checkpoints?: string;
  s3Endpoint?: string;
  s3Region?: string;
  publicKey?: string;
  verbose: boolean;
  json: boolean;
  batch: number;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' {
  const o: Partial<Options> = { verbose: false, json: false, batch: 5000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=')
        ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
        : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--database-url': {
        const url = value();
        if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--database-url must be a postgres:// URL.');
        o.databaseUrl = withDefaultUser(url);
        break;
      }
      case '--case': {
        const id = value();
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
          throw new UsageError('--case must be a case id (a UUID).');
        o.caseId = id.toLowerCase();
        break;
      }
      case '--checkpoints': {
        const where = value();
        if (where.startsWith('s3://') && !S3_BUCKET_NAME.test(where.slice('s3://'.length).split('/')[0]))
          throw new UsageError('--checkpoints s3://<bucket>/<prefix>/ needs a valid bucket name.');
        o.checkpoints = where;
        break;
      }
      case '--s3-endpoint': {
        const url = value();
        if (!/^https?:\/\//.test(url)) throw new UsageError('--s3-endpoint must be an http:// or https:// URL.');
        o.s3Endpoint = url;
        break;
      }
      case '--s3-region':
        o.s3Region = value();
        break;
      case '--public-key':
        o.publicKey = value();
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--json':
        o.json = true;
        break;
      case '--batch-size': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError('--batch-size must be a whole number from 1 to 100000.');
        o.batch = n;
        break;
      }
      default:
        throw new UsageError(`Unknown argument ${argv[i]}.`);
    }
  }
  if (!o.databaseUrl) throw new UsageError('--database-url is required.');
  return o as Options;
}

const describe = (r: ChainResult) => {
  const chain = r.caseId ? `case ${r.caseId}` : 'system chain';
  if (r.valid) return `ok      ${chain}: ${r.checked} entries`;
  const at = r.firstBrokenSeq !== undefined ? `first broken entry seq ${r.firstBrokenSeq}` : `after ${r.checked} entries`;
  return `BROKEN  ${chain}: ${at}: ${r.problem}`;
};

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const describeRecord = (d: CaseRecordDifference) =>
  `DIFFERS case ${d.caseId}: ${d.field}: the row has ${show(d.stored)}, its chain gives ${show(d.replayed)}${d.replay === 'partial' ? ' (partial check: the chain began under an older machine version)' : ''}`;

async function verify(o: Options): Promise<boolean> {
  const client = new Client({ connectionString: o.databaseUrl, application_name: 'audit-verify' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const q: Queryable = async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows;
    const started = Date.now();
    let nextProgress = 1_000_000;
    const summary = new SummaryBuilder();
    const report = (r: ChainResult) => {
      summary.add(r);
      if (!o.json && (o.verbose || !r.valid)) process.stdout.write(`${describe(r)}\n`);
      const s = summary.build();
      if (s.checked >= nextProgress) {
        process.stderr.write(`… ${s.checked} entries in ${s.chains} chains, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
        nextProgress += 1_000_000;
      }
    };
    if (o.caseId) {
      const exists = await q('SELECT 1 FROM cases WHERE id = $1', [o.caseId]);
      if (exists.length === 0) throw new UsageError(`No case ${o.caseId} in this database.`);
    }
    const records = new CaseRecordsCheck(1000, (d) => {
      if (!o.json) process.stdout.write(`${describeRecord(d)}\n`);
    });
    await verifyCaseChains<CaseRowHead>(
      readCaseRows(q, { caseId: o.caseId, batch: Math.max(1, Math.floor(o.batch / 10)) }),
      readCaseEntries(q, { caseId: o.caseId, batch: o.batch }),
      report,
      (id) => records.follow(id),
    );
    if (!o.caseId) report(await verifyChainStream(null, readSystemEntries(q, { batch: o.batch }), await readSystemHead(q)));
    const files = await verifyStoredFiles(q, { caseId: o.caseId, maxReported: 1000 });
    if (!o.json) {
      for (const f of files.broken) {
        process.stdout.write(
          `CHANGED ${f.kind} ${f.id} (${f.fileName ?? 'no name'}, case ${f.caseId ?? '-'}, entry seq ${f.seq}): ${f.problem}\n`,
        );
      }
    }
    const anchored = o.checkpoints ? await checkCheckpoints(q, o) : null;
    if (anchored && !o.json) for (const p of anchored.problems) process.stdout.write(`UNPINNED ${p}\n`);
    await client.query('COMMIT');
    const chains = summary.build();
    const rows = records.summary();
    const s = { ...chains, valid: chains.valid && files.brokenCount === 0 && rows.differingCount === 0 && (anchored?.valid ?? true) };
    const seconds = (Date.now() - started) / 1000;
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ ...s, files, records: rows, ...(anchored ? { checkpoints: anchored } : {}), seconds })}\n`);
    } else {
      process.stdout.write(
        chains.valid
          ? `VALID: ${s.checked} entries in ${s.chains} chains recomputed in ${seconds.toFixed(1)} s; every chain links and matches its head.\n`
          : `BROKEN: ${s.brokenChains} of ${s.chains} chains broken (${s.checked} entries read in ${seconds.toFixed(1)} s); first broken entry seq ${s.firstBrokenSeq ?? '(none: a head does not match its chain)'}.\n`,
      );
      process.stdout.write(
        rows.differingCount === 0
          ? `RECORDS VALID: ${rows.checked} case rows match their chains (${rows.replayed} replayed in full, ${rows.partial} begun under an older machine version checked on state, version and proposal).\n`
          : `RECORDS DIFFER: ${rows.differingCount} of ${rows.checked} case rows differ from what their chains produce.\n`,
      );
      process.stdout.write(
        files.brokenCount === 0
          ? `FILES VALID: ${files.checked} stored files hash to what their chain entries recorded.\n`
          : `FILES CHANGED: ${files.brokenCount} stored files differ from their chain entries (${files.checked} recomputed).\n`,
      );
      if (anchored)
        process.stdout.write(
          anchored.valid
            ? `CHECKPOINTS VALID: ${anchored.checkpoints} signed checkpoints hold; ${anchored.pinnedChains} chains still have the heads they pinned.\n`
            : `CHECKPOINTS FAIL: ${anchored.problems.length} problem(s) with the signed checkpoints or the heads they pinned.\n`,
        );
    }
    return s.valid;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The signed checkpoints in `o.checkpoints`, checked with the given public key or the one kept in that folder. */
async function checkCheckpoints(q: Queryable, o: Options): Promise<CheckpointVerification> {
  const where = o.checkpoints!;
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(where);
  const store = openCheckpointStore(
    s3
      ? {
          kind: 's3',
          bucket: s3[1],
          prefix: s3[2] && !s3[2].endsWith('/') ? `${s3[2]}/` : s3[2],
          region: o.s3Region ?? 'us-east-1',
          endpoint: o.s3Endpoint,
          // Read only: these apply to writes, which the verifier never makes.
          retentionDays: 1,
          lockMode: 'COMPLIANCE',
        }
      : { kind: 'folder', dir: where },
  );
  let key;
  try {
    key = o.publicKey ? createPublicKey(readFileSync(o.publicKey, 'utf8')) : await store.publicKey();
  } catch (err) {
    throw new UsageError(`--public-key ${o.publicKey}: ${(err as Error).message}`);
  }
  if (!key) throw new UsageError(`${o.checkpoints} holds no public-key.pem; pass --public-key <file>.`);
  return verifyAgainstCheckpoints(q, await store.list(), key, { caseId: o.caseId, maxReported: 1000 });
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    return (await verify(options)) ? 0 : 1;
  } catch (err) {
    const missingTable = (err as { code?: string }).code === '42P01';
    process.stderr.write(
      `Could not verify: ${(err as Error).message}${missingTable ? ' (this database has no audit tables: is it a copy of the application database, migrated?)' : ''}\n`,
    );
    return 2;
  }
}

void main().then((code) => process.exit(code));
