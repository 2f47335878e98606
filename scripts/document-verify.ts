/**
 * `npm run document:verify -- file.pdf [--database-url postgres://…]`: says whether a PDF is a
 * document this system issued, whether it is unchanged (its SHA-256 is the one its DOCUMENT_ISSUED
 * chain entry recorded), and whether the case's record has moved on since. Reads the database
 * directly (a copy is fine; SELECT rights are enough), without the API.
 *
 * Exit codes: 0 issued and unchanged, 1 not issued here or changed, 2 usage error or unreadable.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { CASE_EVENT_TYPES } from '../libs/case-workflow/src/case.types';
import { withDefaultUser } from '../libs/config/src/database-url';
import { embeddedDocumentId } from '../libs/domain/src/documents/document-content';
import { checkIssuedDocument } from '../libs/persistence/src/issued-documents';

const USAGE = `Usage: npm run document:verify -- <file.pdf> [--database-url postgres://user:pass@host:5432/db] [--json]

Checks a PDF against the documents this system issued: issued here, unchanged, and whether the
record has moved on since. Without --database-url, DATABASE_URL is used.

Exit codes: 0 issued and unchanged, 1 not issued here or changed, 2 usage error or the database could not be read.`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string; databaseUrl: string; json: boolean } | 'help' {
  let file: string | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--json') json = true;
    else if (a === '--database-url' || a.startsWith('--database-url=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v || !/^postgres(ql)?:\/\//.test(v)) throw new UsageError('--database-url must be a postgres:// URL.');
      databaseUrl = v;
    } else if (a.startsWith('--')) throw new UsageError(`Unknown argument ${a}.`);
    else if (file) throw new UsageError('Give one PDF file.');
    else file = a;
  }
  if (!file) throw new UsageError('Give the PDF file to check.');
  if (!databaseUrl) throw new UsageError('--database-url (or DATABASE_URL) is required.');
  return { file, databaseUrl: withDefaultUser(databaseUrl), json };
}

async function main(): Promise<number> {
  let o: ReturnType<typeof parseArgs>;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let pdf: Buffer;
  try {
    pdf = readFileSync(o.file);
  } catch (err) {
    process.stderr.write(`Cannot read ${o.file}: ${(err as Error).message}\n`);
    return 2;
  }
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const client = new Client({ connectionString: o.databaseUrl, application_name: 'document-verify' });
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const check = await checkIssuedDocument(
      async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
      sha256,
      embeddedDocumentId(pdf),
      CASE_EVENT_TYPES,
    );
    await client.query('COMMIT');
    const result = { file: o.file, sha256, ...check };
    if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (!check.issued) process.stdout.write(`NOT ISSUED: ${o.file} (SHA-256 ${sha256}) is not a document issued by this system.\n`);
    else if (!check.unchanged)
      process.stdout.write(
        `CHANGED: ${o.file} names document ${check.number} (${check.documentId}) but its bytes differ from the issued PDF (SHA-256 ${sha256}).\n`,
      );
    else
      process.stdout.write(
        `ISSUED AND UNCHANGED: ${check.number} (${check.kind}, document ${check.documentId}), issued ${check.issuedAt}; ` +
          `${check.recordMovedOn ? 'the record HAS MOVED ON since (events recorded after the issue)' : 'the record has not moved on since'}` +
          `${check.supersededBy ? `; superseded by document ${check.supersededBy}` : ''}.\n`,
      );
    return check.issued && check.unchanged ? 0 : 1;
  } catch (err) {
    process.stderr.write(`Could not verify: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await client.end().catch(() => undefined);
  }
}

void main().then((code) => process.exit(code));
