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

  describe('appeal ruling (申诉/复核)', () => {
    const S = (from: string, to: string): [string, string] => [`exemptionReview.${from}`, `exemptionReview.${to}`];
    const OWNER_DIRECT = [{ userId: 'owner', responsibility: 'direct' }];
    /** A not_exempt decision by the panel m6, m7, m8 (m6 records it) after a hearing and a legality review, concluded on day 100. */
    const concluded = (outcome = 'not_exempt') => {
      const h = reviewed();
      if (outcome !== 'exempt') {
        h.add(93, 'm6', 'PROPOSE_ACCOUNTABILITY', { outcome, accountability: OWNER_DIRECT }, S('decision', 'decision'), {
          periodDays: 5,
          endsAt: '2026-04-10T15:59:59.999Z',
        });
        h.add(94, 'owner', 'SUBMIT_STATEMENT', { statement: 's', evidence: [] }, S('decision', 'decision'));
        h.add(94, 'legal', 'LEGALITY_REVIEW', { conclusion: 'favourable' }, S('decision', 'decision'));
      }
      for (const m of ['m6', 'm7', 'm8']) h.add(95, m, 'CAST_PANEL_VOTE', { outcome, reasons: 'r' }, S('decision', 'decision'));
      h.add(95, 'm6', 'DECIDE_EXEMPTION', { outcome, ...(outcome === 'exempt' ? {} : { accountability: OWNER_DIRECT }) }, [
        'exemptionReview.decision',
        'exemptionReview.publicNotice',
      ]);
      return h.add(100, 'comp', 'CONCLUDE_NOTICE', {}, ['exemptionReview.publicNotice', 'closed']);
    };
    const appeal = (h: HistoryBuilder, day = 101) =>
      h.add(day, 'owner', 'FILE_APPEAL', { grounds: 'g', evidence: [] }, ['closed', 'exemptionReview.appeal']);
    const rule = (h: HistoryBuilder, by: string, members: string[], ruling: Record<string, unknown>, day = 105) =>
      h.add(day, by, 'RULE_ON_APPEAL', { reasons: 'r', members, ...ruling }, ['exemptionReview.appeal', 'closed']);
    const appealItem = (h: HistoryBuilder) => byCode(proceduralReport(h.entries, MONITORING, NOW)).appeal_ruling;

    it('is not applicable when no appeal was filed, nor before a decision', () => {
      expect(appealItem(concluded('exempt'))).toMatchObject({ applicable: false, met: true, evidence: [expect.any(String)] });
      expect(appealItem(concluded()).finding).toMatch(/^Not applicable: no appeal was filed against the decision \(seq \d+\)\.$/);
      expect(appealItem(reviewed())).toMatchObject({ applicable: false, met: true, finding: expect.stringMatching(/no decision/) });
      // After the other due-process steps, in the report's order.
      expect(
        proceduralReport(concluded().entries, MONITORING, NOW)
          .items.slice(-4)
          .map((i) => i.code),
      ).toEqual(['three_distinctions', 'hearing', 'legality_review', 'appeal_ruling']);
    });

    it('an appeal waiting for its ruling applies and is not yet met', () => {
      const h = appeal(concluded());
      expect(appealItem(h)).toMatchObject({
        applicable: true,
        met: false,
        by: [],
        at: null,
        figures: { appeals: 1, rulings: 0, result: null, firstDecisionMembersExcluded: null },
      });
      expect(appealItem(h).finding).toMatch(/1 appeal\(s\) filed from .*; no ruling yet\.$/);
    });

    it('upheld by a body none of whose members sat on the first decision: who ruled, when, the ruling and the exclusion', () => {
      const h = appeal(concluded());
      const filed = h.entries[h.entries.length - 1].seq;
      rule(h, 'head2', ['head2', 'head6'], { result: 'upheld' });
      const ruled = h.entries[h.entries.length - 1];
      expect(appealItem(h)).toMatchObject({
        applicable: true,
        met: true,
        evidence: [filed, ruled.seq],
        by: ['head2', 'head6'],
        at: ruled.at,
        figures: {
          appeals: 1,
          rulings: 1,
          result: 'upheld',
          ruledBy: 'head2',
          members: 2,
          outcomeBefore: 'not_exempt',
          outcomeAfter: 'not_exempt',
          firstDecisionMembersExcluded: true,
        },
      });
      expect(appealItem(h).finding).toMatch(
        /ruled upheld on .* by a body of 2 member\(s\), none of whom sat on the first decision: outcome not_exempt → not_exempt\.$/,
      );
    });

    it('modified and overturned rulings carry the outcome after the appeal', () => {
      const modified = rule(appeal(concluded()), 'head2', ['head2', 'head6'], {
        result: 'modified',
        outcome: 'partial',
        accountability: [{ ...OWNER_DIRECT[0], reduction: 'lighter', reason: 'r' }],
      });
      expect(appealItem(modified)).toMatchObject({
        met: true,
        figures: { result: 'modified', outcomeBefore: 'not_exempt', outcomeAfter: 'partial' },
      });
      const overturned = rule(appeal(concluded()), 'head2', ['head2', 'head6'], { result: 'overturned' });
      expect(appealItem(overturned)).toMatchObject({ met: true, figures: { result: 'overturned', outcomeAfter: 'exempt' } });
    });

    it('is unmet when a member of the body sat on the first decision (its decider or a panel member), or the recorder was not a member', () => {
      for (const sat of ['m6', 'm8']) {
        const h = rule(appeal(concluded()), 'head2', ['head2', sat], { result: 'upheld' });
        expect(appealItem(h)).toMatchObject({ applicable: true, met: false, figures: { firstDecisionMembersExcluded: false } });
        expect(appealItem(h).finding).toContain(`of whom ${sat} sat on the first decision`);
      }
      const outsider = rule(appeal(concluded()), 'head9', ['head2', 'head6'], { result: 'upheld' });
      expect(appealItem(outsider)).toMatchObject({ met: false, figures: { firstDecisionMembersExcluded: true } });
      expect(appealItem(outsider).finding).toContain('recorded by someone outside the body');
    });

    it('a second appeal after the first ruling waits for its own; a panel member who recused before the decision did not sit on it', () => {
      const h = rule(appeal(concluded()), 'head2', ['head2', 'head6'], { result: 'upheld' });
      h.add(106, 'head', 'FILE_APPEAL', { grounds: 'g', evidence: [] }, ['closed', 'exemptionReview.appeal']);
      expect(appealItem(h)).toMatchObject({ met: false, figures: { appeals: 2, rulings: 1 } });
      expect(appealItem(h).finding).toMatch(/a later appeal waits for a ruling\.$/);

      const recused = reviewed();
      recused.add(93, 'm9', 'CAST_PANEL_VOTE', { outcome: 'exempt', reasons: 'r' }, S('decision', 'decision'));
      recused.add(93, 'm9', 'RECUSE_FROM_PANEL', { reason: 'related' }, S('decision', 'decision'));
      recused.add(95, 'm6', 'CAST_PANEL_VOTE', { outcome: 'exempt', reasons: 'r' }, S('decision', 'decision'));
      recused.add(95, 'm6', 'DECIDE_EXEMPTION', { outcome: 'exempt' }, S('decision', 'publicNotice'));
      recused.add(100, 'comp', 'CONCLUDE_NOTICE', {}, ['exemptionReview.publicNotice', 'closed']);
      rule(appeal(recused), 'head2', ['head2', 'm9'], { result: 'upheld' });
      expect(appealItem(recused)).toMatchObject({ met: true, figures: { firstDecisionMembersExcluded: true } });
    });
  });
});
