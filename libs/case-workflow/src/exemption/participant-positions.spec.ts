import { HistoryBuilder } from './history.fixture';
import { participantPositions } from './participant-positions';

describe('participants’ own positions (Order No. 46 Art. 36(4))', () => {
  const h = HistoryBuilder.decided(['approve', 'reject', 'abstain', 'approve', 'approve'], 'conditional');
  const find = (ps: ReturnType<typeof participantPositions>, id: string) => ps.find((p) => p.userId === id)!;

  it('shows a member who voted against as personally exempt even when the case is not exempt', () => {
    const ps = participantPositions(h.entries, 'not_exempt', [{ userId: 'm1', responsibility: 'direct' }]);
    expect(ps.map((p) => p.userId)).toEqual(['head', 'risk', 'm1', 'm2', 'm3', 'm4', 'm5', 'chair']);
    expect(find(ps, 'm2')).toMatchObject({
      dissent: true,
      personallyExempt: true,
      actions: [{ kind: 'committee_vote', position: 'reject', seq: '10' }],
    });
    expect(find(ps, 'm2').basis).toMatch(/vote against.*Art\. 36\(4\)/);
    // An abstention with reasons is not an explicit reservation (machine version 4 rules).
    expect(find(ps, 'm3')).toMatchObject({ dissent: false, personallyExempt: false });
    // Under the rules of reviews opened before version 4 it still counted.
    expect(find(participantPositions(h.entries, 'not_exempt', [], 3), 'm3')).toMatchObject({ dissent: true, personallyExempt: true });
    expect(find(ps, 'risk')).toMatchObject({
      dissent: true,
      personallyExempt: true,
      actions: [{ kind: 'risk_opinion', position: 'conditional' }],
    });
    expect(find(ps, 'm1')).toMatchObject({ dissent: false, personallyExempt: false, referral: 'direct' });
    expect(find(ps, 'head')).toMatchObject({ dissent: false, personallyExempt: false, actions: [{ kind: 'screening_approval' }] });
    expect(find(ps, 'chair').actions[0].kind).toBe('close_voting');
  });

  it('lets those without dissent follow the outcome, and leaves it open before a decision', () => {
    expect(find(participantPositions(h.entries, 'exempt', []), 'm1').personallyExempt).toBe(true);
    expect(find(participantPositions(h.entries, 'partial', []), 'm1').personallyExempt).toBe(false);
    expect(find(participantPositions(h.entries, null, []), 'm1').personallyExempt).toBeNull();
    expect(find(participantPositions(h.entries, null, []), 'm2').personallyExempt).toBe(true);
  });

  it('counts an explicit reservation as dissent, and shields only the collective decision: a dissenter referred anyway is not exempt', () => {
    const b = HistoryBuilder.decided(['approve', 'approve', 'approve', 'approve', 'approve']);
    b.entries[8].payload = { input: { vote: 'approve', reason: 'fine', reservation: 'valuation too high' } };
    const ps = participantPositions(b.entries, 'not_exempt', [{ userId: 'm1', responsibility: 'direct' }]);
    expect(find(ps, 'm1')).toMatchObject({ dissent: true, personallyExempt: false, referral: 'direct' });
    expect(find(ps, 'm1').basis).toMatch(/collective decision only; referred for their own conduct/);
    expect(find(ps, 'm1').actions[0].position).toBe('approve with reservation');
    expect(find(participantPositions(b.entries, 'not_exempt', []), 'm1')).toMatchObject({ dissent: true, personallyExempt: true });
  });

  it('ignores votes of a round that was returned to due diligence', () => {
    const b = new HistoryBuilder()
      .add(0, 'owner', 'CASE_CREATED', {}, [null, 'draft'])
      .add(1, 'head', 'APPROVE', {}, ['screening', 'dueDiligence'])
      .add(2, 'risk', 'RISK_OPINION', { opinion: 'pass', reason: 'r' }, ['riskReview', 'committee'])
      .add(3, 'm1', 'CAST_VOTE', { vote: 'reject', reason: 'first round' }, ['committee', 'committee'])
      .add(4, 'chair', 'RETURN', { reason: 'more DD' }, ['committee', 'dueDiligence'])
      .add(5, 'risk', 'RISK_OPINION', { opinion: 'pass', reason: 'r' }, ['riskReview', 'committee'])
      .add(6, 'm1', 'CAST_VOTE', { vote: 'approve', reason: 'second round' }, ['committee', 'committee']);
    const m1 = participantPositions(b.entries, 'not_exempt', []).find((p) => p.userId === 'm1')!;
    expect(m1).toMatchObject({ dissent: false, actions: [{ position: 'approve', seq: '7' }] });
  });
});
