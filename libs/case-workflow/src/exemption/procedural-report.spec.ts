import { HistoryBuilder, MONITORING } from './history.fixture';
import { proceduralReport } from './procedural-report';

const NOW = '2027-01-01T00:00:00.000Z';
const byCode = (r: ReturnType<typeof proceduralReport>) => Object.fromEntries(r.items.map((i) => [i.code, i]));

describe('procedural-compliance report', () => {
  it('finds every step met for a proper procedure with quarterly reports, citing the entries', () => {
    const h = HistoryBuilder.decided()
      .add(80, 'owner', 'SUBMIT_MONITORING_REPORT', { period: 'Q1', summary: 's' }, ['monitoring', 'monitoring'])
      .add(150, 'owner', 'SUBMIT_MONITORING_REPORT', { period: 'Q2', summary: 's' }, ['monitoring', 'monitoring'])
      .add(200, 'owner', 'START_EXIT', { channel: 'transfer' }, ['monitoring', 'exiting']);
    const r = proceduralReport(h.entries, MONITORING, NOW);
    const items = byCode(r);
    expect(r.items.map((i) => [i.code, i.met]).filter(([, met]) => !met)).toEqual([]);
    expect(r.allMet).toBe(true);
    expect(items.screening_approval).toMatchObject({ evidence: ['3'], by: ['head'], at: '2026-01-02T00:00:00.000Z' });
    expect(items['dd_report:legal']).toMatchObject({ evidence: ['7'], by: ['legal'] });
    expect(items.committee_quorum.figures).toMatchObject({ cast: 5, quorum: 5, ruleVersion: 'c1' });
    expect(items.committee_threshold.figures).toMatchObject({ approve: 4, reject: 1, counted: 5 });
    expect(items.committee_threshold.evidence).toEqual(['9', '10', '11', '12', '13', '14']);
    expect(items.monitoring_cadence.figures).toMatchObject({ reports: 2, longestGapDays: 70, monitoringFrom: '2026-01-11T00:00:00.000Z' });
    expect(items.downgrade_reaction.finding).toBe('No risk downgrade was recorded.');
    expect(r.lastSeq).toBe('19');
  });

  it('flags a gap longer than the cadence, measured from the funding date to leaving monitoring', () => {
    const h = HistoryBuilder.decided()
      .add(60, 'owner', 'SUBMIT_MONITORING_REPORT', { period: 'Q1', summary: 's' }, ['monitoring', 'monitoring'])
      .add(250, 'head', 'WRITE_OFF', { reason: 'insolvent' }, ['monitoring', 'exemptionReview.application']);
    const item = byCode(proceduralReport(h.entries, MONITORING, NOW)).monitoring_cadence;
    expect(item.met).toBe(false);
    expect(item.figures.longestGapDays).toBe(190);
    expect(item.finding).toMatch(/longest interval without a report was 190 days/);
  });

  it('measures the reaction to a risk downgrade; an upgrade or a repeat grade is no downgrade', () => {
    const h = HistoryBuilder.decided()
      .add(20, 'risk', 'CLASSIFY_RISK', { grade: 'watch', reason: 'delay' }, ['monitoring', 'monitoring'])
      .add(23, 'owner', 'SUBMIT_MONITORING_REPORT', { period: 'x', summary: 's' }, ['monitoring', 'monitoring'])
      .add(30, 'risk', 'CLASSIFY_RISK', { grade: 'normal', reason: 'recovered' }, ['monitoring', 'monitoring'])
      .add(40, 'risk', 'CLASSIFY_RISK', { grade: 'doubtful', reason: 'cash' }, ['monitoring', 'monitoring'])
      .add(70, 'owner', 'SUBMIT_MONITORING_REPORT', { period: 'y', summary: 's' }, ['monitoring', 'monitoring'])
      .add(75, 'owner', 'START_EXIT', { channel: 'transfer' }, ['monitoring', 'exiting']);
    const r = proceduralReport(h.entries, MONITORING, NOW);
    expect(r.downgrades.map((g) => [g.from, g.to, g.reactionDays, g.met])).toEqual([
      ['normal', 'watch', 3, true],
      ['normal', 'doubtful', 30, false],
    ]);
    const item = byCode(r).downgrade_reaction;
    expect(item.met).toBe(false);
    expect(item.figures).toMatchObject({ downgrades: 2, late: 1, longestReactionDays: 30, reactionDaysAllowed: 10 });
    expect(r.allMet).toBe(false);
  });

  it('counts a write-off soon after a downgrade as a reaction (stop-loss)', () => {
    const h = HistoryBuilder.decided()
      .add(20, 'risk', 'CLASSIFY_RISK', { grade: 'loss', reason: 'fraud' }, ['monitoring', 'monitoring'])
      .add(22, 'head', 'WRITE_OFF', { reason: 'fraud' }, ['monitoring', 'exemptionReview.application']);
    expect(proceduralReport(h.entries, MONITORING, NOW).downgrades[0]).toMatchObject({
      reactionType: 'WRITE_OFF',
      reactionDays: 2,
      met: true,
    });
  });

  it('uses the deciding round only, and fails quorum, threshold and the override when the history shows them missing', () => {
    const h = HistoryBuilder.decided(['approve', 'approve', 'approve', 'approve', 'approve'], 'fail');
    // Remove the override reason: the close of a fail opinion without one breaks the rule.
    const close = h.entries.find((e) => e.type === 'CLOSE_VOTING')!;
    close.payload = { input: {}, server: close.payload.server };
    const items = byCode(proceduralReport(h.entries, MONITORING, NOW));
    expect(items.committee_threshold.met).toBe(false);
    expect(items.committee_threshold.finding).toMatch(/no override reason/);

    const short = HistoryBuilder.decided(['approve', 'approve', 'approve']);
    expect(byCode(proceduralReport(short.entries, MONITORING, NOW)).committee_quorum).toMatchObject({ met: false, figures: { cast: 3 } });
  });

  it('reports a missing legal DD report and a screening approval by a team member', () => {
    const h = HistoryBuilder.decided();
    h.entries.splice(
      h.entries.findIndex((e) => e.type === 'SUBMIT_DD_REPORT' && (e.payload.input as { workstream: string }).workstream === 'legal'),
      1,
    );
    h.entries.splice(1, 0, { ...h.entries[0], seq: '1.5', type: 'ADD_TEAM_MEMBER', payload: { input: { userId: 'head' } } });
    const items = byCode(proceduralReport(h.entries, MONITORING, NOW));
    expect(items['dd_report:legal']).toMatchObject({ met: false, evidence: [] });
    expect(items.screening_approval).toMatchObject({ met: false, finding: expect.stringMatching(/was on the case team/) });
  });
});
