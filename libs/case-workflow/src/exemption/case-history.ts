import { historyInput, historyServer, type HistoryEntry } from '../case.history';
import type { CommitteeRule } from '../policy.types';
import type { RiskGrade } from '../case.types';
import { RISK_GRADES } from '../case.types';
import { DAY_MS } from '../calendar/durations';

export type { HistoryEntry };

/** The fields the sender gave, and those the server added (the history's one payload format, case.history.ts). */
export const input = historyInput;
export const server = historyServer;

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const days = (fromIso: string, toIso: string): number =>
  Math.max(0, Math.round(((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS) * 100) / 100);

export const gradeRank = (g: unknown): number => RISK_GRADES.indexOf(g as RiskGrade);

/**
 * The entries that made the investment decision that was executed: the last CLOSE_VOTING that
 * approved (moved to execution), the risk opinion, DD reports and votes of that round, and the
 * screening approval before them. Earlier rounds (returned to due diligence) are superseded.
 */
export interface DecisionEntries {
  screening: HistoryEntry | null;
  ddReports: Partial<Record<string, HistoryEntry>>;
  riskOpinion: HistoryEntry | null;
  votes: HistoryEntry[];
  close: HistoryEntry | null;
  rule: CommitteeRule | null;
  /** The owner and the team members added before each entry, by seq. */
  teamAt: (seq: string) => Set<string>;
}

const seqNum = (e: HistoryEntry) => Number(e.seq);

export function decisionEntries(history: readonly HistoryEntry[]): DecisionEntries {
  const closes = history.filter((e) => e.type === 'CLOSE_VOTING' && e.toState === 'execution');
  const close = closes[closes.length - 1] ?? null;
  const before = (limit: HistoryEntry | null) => (e: HistoryEntry) => limit === null || seqNum(e) < seqNum(limit);
  const last = <T>(xs: T[]): T | null => xs[xs.length - 1] ?? null;

  const riskOpinion = last(history.filter((e) => e.type === 'RISK_OPINION' && before(close)(e)));
  // The round's votes: cast after the round's risk opinion and before the close.
  const votes = history.filter(
    (e) => e.type === 'CAST_VOTE' && before(close)(e) && (riskOpinion === null || seqNum(e) > seqNum(riskOpinion)),
  );
  const ddReports: Partial<Record<string, HistoryEntry>> = {};
  for (const e of history) {
    if (e.type !== 'SUBMIT_DD_REPORT' || !before(riskOpinion ?? close)(e)) continue;
    const w = str(input(e).workstream);
    if (w) ddReports[w] = e;
  }
  const screening = last(history.filter((e) => e.type === 'APPROVE' && e.fromState === 'screening' && before(riskOpinion ?? close)(e)));
  const rule = close ? ((server(close).rule as CommitteeRule | undefined) ?? null) : null;

  const created = history.find((e) => e.type === 'CASE_CREATED');
  const teamAt = (seq: string) => {
    const team = new Set<string>(created?.actorId ? [created.actorId] : []);
    for (const e of history) {
      if (seqNum(e) >= Number(seq)) break;
      const userId = str(input(e).userId);
      if (e.type === 'ADD_TEAM_MEMBER' && userId) team.add(userId);
    }
    return team;
  };
  return { screening, ddReports, riskOpinion, votes, close, rule, teamAt };
}
