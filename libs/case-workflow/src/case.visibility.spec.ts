import { caseReadScope, mayReadCase, type CaseReadFacts } from './case.visibility';
import type { Actor, Role } from './roles';

const person = (id: string, ...roles: Role[]): Actor => ({ id, roles });
const facts = (over: Partial<CaseReadFacts> = {}): CaseReadFacts => ({
  state: 'execution',
  ownerId: 'owner',
  team: ['teammate'],
  openTasks: [],
  actedOnIt: false,
  ...over,
});

describe('need-to-know: who may read a case', () => {
  it('the oversight roles read every case: auditor, compliance, discipline inspection', () => {
    for (const role of ['auditor', 'compliance_officer', 'discipline_officer'] as const) {
      expect(mayReadCase(person('x', role), facts())).toBe(true);
      expect(caseReadScope(person('x', role))).toEqual({ all: true });
    }
  });

  it('the owner and the team read their case; another investment manager does not', () => {
    expect(mayReadCase(person('owner', 'investment_manager'), facts())).toBe(true);
    expect(mayReadCase(person('teammate', 'investment_manager'), facts())).toBe(true);
    expect(mayReadCase(person('other', 'investment_manager'), facts())).toBe(false);
  });

  it('whoever acted on the case reads it afterwards', () => {
    expect(mayReadCase(person('voter', 'committee_member'), facts({ actedOnIt: true }))).toBe(true);
    expect(mayReadCase(person('voter', 'committee_member'), facts())).toBe(false);
  });

  it('a task assigned to the person, or open in a queue of a reviewing role they hold, opens the case', () => {
    const screening = facts({
      state: 'screening',
      openTasks: [{ kind: 'task', queue: 'department_head', assigneeId: null, escalatedTo: null }],
    });
    expect(mayReadCase(person('head', 'department_head'), screening)).toBe(true);
    expect(mayReadCase(person('risk', 'risk_officer'), screening)).toBe(false);
    const vote = facts({
      state: 'committee',
      openTasks: [{ kind: 'task', queue: 'committee_member', assigneeId: 'm1', escalatedTo: null }],
    });
    expect(mayReadCase(person('m1', 'committee_member'), vote)).toBe(true);
    // Every committee member sees the cases in committee (each has a vote task in the queue).
    expect(mayReadCase(person('m2', 'committee_member'), vote)).toBe(true);
    const claimedByOther = facts({ openTasks: [{ kind: 'task', queue: 'legal_officer', assigneeId: 'l1', escalatedTo: null }] });
    expect(mayReadCase(person('l2', 'legal_officer'), claimedByOther)).toBe(true);
  });

  it("the owner's own tasks (investment_manager queue) do not open the case to every investment manager", () => {
    const draft = facts({
      state: 'draft',
      openTasks: [{ kind: 'task', queue: 'investment_manager', assigneeId: 'owner', escalatedTo: null }],
    });
    expect(mayReadCase(person('other', 'investment_manager'), draft)).toBe(false);
  });

  it('a personal task (a hearing statement) opens the case to its assignee only, not to their role or the queue it is escalated to', () => {
    const hearing = facts({
      state: 'exemptionReview.decision',
      openTasks: [{ kind: 'hearing_statement', queue: 'risk_officer', assigneeId: 'heard', escalatedTo: 'department_head' }],
    });
    expect(mayReadCase(person('heard', 'risk_officer'), hearing)).toBe(true);
    expect(mayReadCase(person('colleague', 'risk_officer'), hearing)).toBe(false);
    expect(mayReadCase(person('head', 'department_head'), hearing)).toBe(false);
  });

  it('a task escalated to a queue opens the case to that queue', () => {
    const escalated = facts({ openTasks: [{ kind: 'task', queue: 'risk_officer', assigneeId: null, escalatedTo: 'department_head' }] });
    expect(mayReadCase(person('head', 'department_head'), escalated)).toBe(true);
  });

  it('department heads and risk officers read the cases in monitoring (write-off, risk classification); others do not', () => {
    const monitoring = facts({ state: 'monitoring' });
    expect(mayReadCase(person('head', 'department_head'), monitoring)).toBe(true);
    expect(mayReadCase(person('risk', 'risk_officer'), monitoring)).toBe(true);
    expect(mayReadCase(person('m', 'committee_member'), monitoring)).toBe(false);
    expect(mayReadCase(person('risk', 'risk_officer'), facts({ state: 'exiting' }))).toBe(false);
  });

  it('during the public notice every staff member reads the case (anyone not on the team may object), but not the admin', () => {
    const notice = facts({ state: 'exemptionReview.publicNotice' });
    expect(mayReadCase(person('other', 'investment_manager'), notice)).toBe(true);
    expect(mayReadCase(person('m', 'committee_member'), notice)).toBe(true);
    expect(mayReadCase(person('a', 'admin'), notice)).toBe(false);
  });

  it('administrators read no case; the scope of a person lists their reviewing queues and states', () => {
    expect(
      mayReadCase(
        person('a', 'admin'),
        facts({ openTasks: [{ kind: 'task', queue: 'department_head', assigneeId: null, escalatedTo: null }] }),
      ),
    ).toBe(false);
    expect(caseReadScope(person('h', 'department_head', 'investment_manager'))).toEqual({
      all: false,
      userId: 'h',
      queues: ['department_head'],
      personalTaskKinds: ['hearing_statement'],
      states: ['monitoring', 'exemptionReview.publicNotice'],
    });
  });
});
