import type { CommitteeRule } from './policy.types';
import type { Vote } from './case.types';

export interface VoteTally {
  cast: number;
  approve: number;
  reject: number;
  abstain: number;
  quorumMet: boolean;
  /** Votes in the denominator of the approval ratio. */
  counted: number;
  approved: boolean;
}

/** Counts one round's votes against the committee rule. Integer arithmetic: no rounding. */
export function tallyVotes(votes: readonly Vote[], rule: CommitteeRule): VoteTally {
  const approve = votes.filter((v) => v.vote === 'approve').length;
  const reject = votes.filter((v) => v.vote === 'reject').length;
  const abstain = votes.filter((v) => v.vote === 'abstain').length;
  const cast = votes.length;
  const counted = rule.abstentionsCountAsCast ? cast : approve + reject;
  const quorumMet = cast >= rule.quorum;
  const approved = quorumMet && counted > 0 && approve * rule.approvalDenominator >= counted * rule.approvalNumerator;
  return { cast, approve, reject, abstain, quorumMet, counted, approved };
}
