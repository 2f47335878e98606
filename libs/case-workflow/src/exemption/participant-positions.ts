import type { AccountabilityReferral, ExemptionOutcome, Responsibility } from '../case.types';
import { decisionEntries, input, str, type HistoryEntry } from './case-history';

export type ParticipationKind = 'screening_approval' | 'risk_opinion' | 'committee_vote' | 'close_voting';

export interface Participation {
  kind: ParticipationKind;
  seq: string;
  at: string;
  /** approve / reject / abstain, pass / conditional / fail, approved, closed. */
  position: string;
  reason: string | null;
  /** True when this act records opposition or a reservation. */
  dissent: boolean;
}

export interface ParticipantPosition {
  userId: string;
  roles: string[];
  actions: Participation[];
  /**
   * Recorded opposition or reservations in the collective decision: a reject vote, a vote with an
   * explicit reservation, a conditional or fail risk opinion (reviews under rules 4). Under the rules of
   * reviews opened before machine version 4, an abstention with reasons also counted.
   */
  dissent: boolean;
  /**
   * Order No. 46 Art. 36(4): a person whose opposition or reservation is on record is exempt
   * personally whatever the outcome. Otherwise the person follows the case outcome: true for
   * exempt, false for partial or not_exempt, null while no outcome is decided.
   */
  personallyExempt: boolean | null;
  basis: string;
  /** The responsibility this person was referred for (not_exempt/partial), if named. */
  referral: Responsibility | null;
}

/**
 * Each person who took part in the investment decision and what they did: the screening approver,
 * the risk officer, each voter of the deciding round and the chair who closed voting.
 */
export function participantPositions(
  history: readonly HistoryEntry[],
  outcome: ExemptionOutcome | null,
  referrals: readonly AccountabilityReferral[],
  rules = 4,
): ParticipantPosition[] {
  const d = decisionEntries(history);
  const byUser = new Map<string, { roles: Set<string>; actions: Participation[] }>();
  const add = (e: HistoryEntry | null, kind: ParticipationKind, position: string, reason: string | null, dissent: boolean) => {
    if (!e?.actorId) return;
    const p = byUser.get(e.actorId) ?? { roles: new Set<string>(), actions: [] };
    e.actorRoles.forEach((r) => p.roles.add(r));
    p.actions.push({ kind, seq: e.seq, at: e.at, position, reason, dissent });
    byUser.set(e.actorId, p);
  };

  if (d.screening) add(d.screening, 'screening_approval', 'approved', str(input(d.screening).reason), false);
  if (d.riskOpinion) {
    const opinion = str(input(d.riskOpinion).opinion) ?? 'unknown';
    add(d.riskOpinion, 'risk_opinion', opinion, str(input(d.riskOpinion).reason), opinion === 'conditional' || opinion === 'fail');
  }
  for (const v of d.votes) {
    const vote = str(input(v).vote) ?? 'unknown';
    const reason = str(input(v).reason);
    const reservation = str(input(v).reservation);
    const dissent = rules >= 4 ? vote === 'reject' || !!reservation?.trim() : vote === 'reject' || (vote === 'abstain' && !!reason?.trim());
    add(
      v,
      'committee_vote',
      reservation?.trim() ? `${vote} with reservation` : vote,
      reservation?.trim() ? `${reason ?? ''} — reservation: ${reservation}` : reason,
      dissent,
    );
  }
  if (d.close) add(d.close, 'close_voting', 'approved', str(input(d.close).overrideReason), false);

  const referralOf = new Map(referrals.map((r) => [r.userId, r.responsibility]));
  return [...byUser.entries()]
    .map(([userId, p]) => {
      const dissentActs = p.actions.filter((a) => a.dissent);
      const dissent = dissentActs.length > 0;
      const referral = referralOf.get(userId) ?? null;
      // Dissent shields responsibility for the collective decision only: a person referred all the same
      // was referred for their own conduct (a negative-list flag) or a duty they held themselves.
      const referredDespiteDissent = dissent && referral !== null && rules >= 4;
      const personallyExempt = referredDespiteDissent ? false : dissent ? true : outcome === null ? null : outcome === 'exempt';
      const acts = dissentActs
        .map((a) =>
          a.kind === 'risk_opinion'
            ? `a ${a.position} risk opinion`
            : a.position === 'reject'
              ? 'a vote against'
              : a.position.endsWith('with reservation')
                ? 'a vote with a reservation'
                : 'an abstention with reasons',
        )
        .join(' and ');
      const basis = referredDespiteDissent
        ? `Recorded ${acts} (seq ${dissentActs.map((a) => a.seq).join(', ')}), which shields responsibility for the collective decision only; referred for their own conduct or duties.`
        : dissent
          ? `Recorded ${acts} (seq ${dissentActs.map((a) => a.seq).join(', ')}): shielded from responsibility for the collective decision under Order No. 46 Art. 36(4) whatever the case outcome.`
          : outcome === null
            ? 'No recorded opposition or reservation: follows the case outcome, not yet decided.'
            : `No recorded opposition or reservation: follows the case outcome (${outcome}).`;
      return {
        userId,
        roles: [...p.roles],
        actions: p.actions,
        dissent,
        personallyExempt,
        basis,
        referral,
      };
    })
    .sort((a, b) => Number(a.actions[0].seq) - Number(b.actions[0].seq));
}
