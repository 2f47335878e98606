import { Injectable } from '@nestjs/common';
import { GENESIS_HASH } from '@app/audit';
import type { AuditEntry } from '@app/audit';
import { AuditRepository, CasesRepository, type NewAuditEntry, type Tx } from '@app/persistence';
import type { Actor } from '@app/case-workflow';

export interface AuditActor {
  id: string | null;
  roles: readonly string[];
}

export const auditActor = (actor: Actor | null): AuditActor => ({ id: actor?.id ?? null, roles: actor ? [...actor.roles] : [] });

/** Appends entries to the right chain inside the caller's transaction. */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly cases: CasesRepository,
  ) {}

  /** An entry with no case: login, admin change. */
  system(
    tx: Tx,
    actor: AuditActor,
    type: string,
    payload: Record<string, unknown>,
    reason: string | null = null,
    at = new Date().toISOString(),
  ): Promise<AuditEntry> {
    return this.audit.appendSystem(tx, {
      at,
      actorId: actor.id,
      actorRoles: [...actor.roles],
      type,
      fromState: null,
      toState: null,
      reason,
      payload,
    });
  }

  /**
   * An entry on a case's chain that does not change its state (claim, release, escalation). Locks the
   * case row so that appends to one chain are serialised.
   */
  async onCase(tx: Tx, caseId: string, entry: Omit<NewAuditEntry, 'caseId'>): Promise<AuditEntry> {
    const head = await this.cases.lockChainHead(tx, caseId);
    if (!head) throw new Error(`case ${caseId} vanished inside its own transaction`);
    const full = await this.audit.prepare(tx, { ...entry, caseId }, head.headHash ?? GENESIS_HASH, head.nextSeq);
    await this.audit.insert(tx, full);
    await this.cases.setHeadHash(tx, caseId, full.hash);
    return full;
  }
}
