import type { CaseContext, CaseEventType } from '@app/case-workflow';
import type { CaseRecord, TaskRecord } from '@app/persistence';

export interface TaskView {
  id: string;
  caseId: string;
  caseState: string;
  queue: string;
  kind: string;
  key: string;
  assigneeId: string | null;
  status: 'open' | 'done';
  dueAt: string;
  overdue: boolean;
  escalated: boolean;
  escalatedAt: string | null;
  escalatedTo: string | null;
  createdAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

/** A task as the API shows it; `now` (ms) decides whether it is overdue. */
export const toTaskView = (t: TaskRecord, now: number): TaskView => ({
  id: t.id,
  caseId: t.caseId,
  caseState: t.caseState,
  queue: t.queue,
  kind: t.kind,
  key: t.key,
  assigneeId: t.assigneeId,
  status: t.status,
  dueAt: t.dueAt,
  overdue: t.status === 'open' && Date.parse(t.dueAt) < now,
  escalated: t.escalatedAt !== null,
  escalatedAt: t.escalatedAt,
  escalatedTo: t.escalatedTo,
  createdAt: t.createdAt,
  completedAt: t.completedAt,
  completedBy: t.completedBy,
});

export interface CaseView {
  id: string;
  fundId: string;
  companyName: string;
  sector: string;
  requestedAmountFen: number;
  summary: string;
  ownerId: string;
  team: string[];
  state: string;
  version: number;
  machineVersion: number;
  investedFen: number | null;
  proceedsFen: number | null;
  createdAt: string;
  updatedAt: string;
  availableEvents: CaseEventType[];
  tasks: TaskView[];
  /** The facts the workflow has recorded: approvals, reports, votes, funding, exit, review. */
  workflow: Omit<CaseContext, 'ownerId' | 'team' | 'requestedAmountFen'>;
  /** Set on a view rebuilt from the history (`?asOf=`): the moment it shows. */
  asOf?: string;
}

export function toCaseView(
  record: CaseRecord,
  ctx: CaseContext,
  availableEvents: CaseEventType[],
  tasks: TaskRecord[],
  now: number,
): CaseView {
  const { ownerId: _o, team, requestedAmountFen: _r, ...workflow } = ctx;
  return {
    id: record.id,
    fundId: record.fundId,
    companyName: record.companyName,
    sector: record.sector,
    requestedAmountFen: record.requestedAmountFen,
    summary: record.summary,
    ownerId: record.ownerId,
    team,
    state: record.state,
    version: record.version,
    machineVersion: record.machineVersion,
    investedFen: record.investedFen,
    proceedsFen: record.proceedsFen,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    availableEvents,
    tasks: tasks.map((t) => toTaskView(t, now)),
    workflow,
  };
}
