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

describe('procedural-compliance report: due process (machine version 5)', () => {
  const DP = {
    version: 'dp1',
    hearing: { periodDays: 5 },
    appeal: { periodDays: 10, body: 'b', roles: ['department_head'], minMembers: 2 },
  };
  const EV = [{ title: 't', ref: 'r' }];
  const codes = (r: ReturnType<typeof proceduralReport>) =>
    r.items
      .filter((i) => ['three_distinctions', 'hearing', 'legality_review'].includes(i.code))
      .map((i) => [i.code, i.applicable ?? true, i.met]);

  /** A write-off opening a review under the due-process policy, filed, criteria verified, distinctions found. */
  const reviewed = (withPolicy = true) => {
    const h = HistoryBuilder.decided()
      .add(60, 'owner', 'SUBMIT_MONITORING_REPORT', { period: 'Q1', summary: 's' }, ['monitoring', 'monitoring'])
      .add(90, 'head', 'WRITE_OFF', { reason: 'insolvent' }, ['monitoring', 'exemptionReview.application'], {
        review: withPolicy ? { dueProcess: DP } : {},
      })
      .add(91, 'owner', 'FILE_EXEMPTION', { lossCause: 'market' }, ['exemptionReview.application', 'exemptionReview.verification']);
    for (const d of ['inexperience_vs_knowing_violation', 'trial_vs_prohibition', 'development_vs_personal_gain'])
      h.add(92, 'comp', 'RECORD_DISTINCTION', { distinction: d, side: 'tolerable', reasons: 'r', evidence: EV }, [
        'exemptionReview.verification',
        'exemptionReview.verification',
      ]);
    return h;
  };

  it('reviews opened before version 5 get no due-process items', () => {
    expect(codes(proceduralReport(reviewed(false).entries, MONITORING, NOW))).toEqual([]);
  });

  it('an exempt decision: the hearing and legality review are not applicable, not unmet', () => {
    const h = reviewed().add(95, 'm6', 'DECIDE_EXEMPTION', { outcome: 'exempt' }, [
      'exemptionReview.decision',
      'exemptionReview.publicNotice',
    ]);
    const r = proceduralReport(h.entries, MONITORING, NOW);
    expect(codes(r)).toEqual([
      ['three_distinctions', true, true],
      ['hearing', false, true],
      ['legality_review', false, true],
    ]);
    expect(byCode(r).hearing.finding).toMatch(/^Not applicable: the decision .* is exempt/);
  });

  it('a referring decision: heard (answered, or the period ended) and a favourable legality review, else unmet', () => {
    const referring = (answered: boolean, legality: string | null, decidedDay: number) => {
      const h = reviewed().add(
        93,
        'm6',
        'PROPOSE_ACCOUNTABILITY',
        { outcome: 'not_exempt', accountability: [{ userId: 'owner', responsibility: 'direct' }] },
        ['exemptionReview.decision', 'exemptionReview.decision'],
        { periodDays: 5, endsAt: '2026-04-10T15:59:59.999Z', calendarVersion: 'cn-2026.1' },
      );
      if (answered)
        h.add(94, 'owner', 'SUBMIT_STATEMENT', { statement: 's', evidence: [] }, ['exemptionReview.decision', 'exemptionReview.decision']);
      if (legality)
        h.add(94, 'legal', 'LEGALITY_REVIEW', { conclusion: legality }, ['exemptionReview.decision', 'exemptionReview.decision']);
      h.add(
        decidedDay,
        'm6',
        'DECIDE_EXEMPTION',
        { outcome: 'not_exempt', accountability: [{ userId: 'owner', responsibility: 'direct' }] },
        ['exemptionReview.decision', 'exemptionReview.publicNotice'],
      );
      return codes(proceduralReport(h.entries, MONITORING, NOW));
    };
    expect(referring(true, 'favourable', 95)).toEqual([
      ['three_distinctions', true, true],
      ['hearing', true, true],
      ['legality_review', true, true],
    ]);
    // Not answered, decided after the period (day 110 = 21 April): heard; decided within it: unmet.
    expect(referring(false, 'favourable', 110)[1]).toEqual(['hearing', true, true]);
    expect(referring(false, 'favourable', 95)[1]).toEqual(['hearing', true, false]);
    expect(referring(true, 'unfavourable', 95)[2]).toEqual(['legality_review', true, false]);
    expect(referring(true, null, 95)[2]).toEqual(['legality_review', true, false]);
  });
});
