import { Client } from 'pg';
import { verifyChain, type ChainCheck } from '../../libs/audit/src/audit-chain';
import { AUDIT_COLUMNS, toAuditEntry, type AuditRow } from '../../libs/persistence/src/audit-chain.reader';

/** Reads every case chain (and the system chain) of a database and verifies each against its head. */
export async function verifyAllChains(
  databaseUrl: string,
): Promise<{ chains: number; entries: number; broken: (ChainCheck & { caseId: string | null })[] }> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const cases = (await c.query(`SELECT id, head_hash FROM cases`)).rows as { id: string; head_hash: string | null }[];
    const broken: (ChainCheck & { caseId: string | null })[] = [];
    let entries = 0;
    // A plain walk, one chain at a time, independent of the API's batched verifier.
    const read = async (caseId: string | null) =>
      (
        (
          await c.query(`SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE case_id IS NOT DISTINCT FROM $1 ORDER BY audit_entries.seq`, [
            caseId,
          ])
        ).rows as AuditRow[]
      ).map(toAuditEntry);
    for (const k of cases) {
      const chain = await read(k.id);
      entries += chain.length;
      const check = verifyChain(chain, k.head_hash);
      if (!check.valid) broken.push({ ...check, caseId: k.id });
    }
    const system = await read(null);
    entries += system.length;
    const head = (await c.query(`SELECT head_hash FROM audit_chain_heads WHERE chain = 'system'`)).rows[0].head_hash as string;
    const sys = verifyChain(system, head);
    if (!sys.valid) broken.push({ ...sys, caseId: null });
    return { chains: cases.length + 1, entries, broken };
  } finally {
    await c.end();
  }
}
