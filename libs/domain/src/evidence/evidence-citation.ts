import type { EvidenceRepository, Tx } from '@app/persistence';
import { DomainErrorCode, DomainException } from '../domain.exception';

/** What an event's chain entry records about each evidence file it cites (`payload.server.citedEvidence`). */
export interface CitedEvidence {
  id: string;
  fileName: string;
  sha256: string;
}

/** The evidence ids an event's payload cites (`evidenceIds`), whatever the event. */
export function citedEvidenceIds(input: object): string[] {
  const ids = (input as { evidenceIds?: unknown }).evidenceIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * Event validation, shared by every event that cites evidence: each cited id must be a file uploaded
 * to the same case (else 422 naming them). Returns what the event's chain entry records of each, in
 * the order cited, so the entry's hash covers the files' SHA-256.
 */
export async function citeEvidence(repo: EvidenceRepository, tx: Tx, caseId: string, ids: readonly string[]): Promise<CitedEvidence[]> {
  if (ids.length === 0) return [];
  const found = new Map((await repo.findByIds(tx, [...ids])).filter((e) => e.caseId === caseId).map((e) => [e.id, e]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new DomainException(
      DomainErrorCode.RuleViolated,
      `The event cites evidence ${missing.join(', ')}, which is not a file uploaded to this case; upload it with POST /api/cases/${caseId}/evidence and cite the id it returns.`,
      { missing },
      '所引用的证据材料不是本项目已上传的文件，请先上传至本项目再引用。',
    );
  }
  return ids.map((id) => {
    const e = found.get(id)!;
    return { id: e.id, fileName: e.fileName, sha256: e.sha256 };
  });
}
