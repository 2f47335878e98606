import { Client } from 'pg';
import { verifyChain, type AuditEntry, type ChainCheck } from '../../libs/audit/src/audit-chain';

/** Reads every case chain (and the system chain) of a database and verifies each against its head. */
export async function verifyAllChains(databaseUrl: string): Promise<{ chains: number; entries: number; broken: (ChainCheck & { caseId: string | null })[] }> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const cases = (await c.query(`SELECT id, head_hash FROM cases`)).rows as { id: string; head_hash: string | null }[];
    const broken: (ChainCheck & { caseId: string | null })[] = [];
    let entries = 0;
    const read = async (caseId: string | null) =>
      (
        await c.query(
          `SELECT seq::text AS seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash
             FROM audit_entries WHERE case_id IS NOT DISTINCT FROM $1 ORDER BY audit_entries.seq`,
          [caseId],
        )
      ).rows.map(
        (r): AuditEntry => ({
          seq: r.seq,
          at: r.at.toISOString(),
          actorId: r.actor_id,
          actorRoles: r.actor_roles,
          caseId: r.case_id,
          type: r.type,
          fromState: r.from_state,
          toState: r.to_state,
          reason: r.reason,
          payload: r.payload,
          prevHash: r.prev_hash,
          hash: r.hash,
        }),
      );
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
