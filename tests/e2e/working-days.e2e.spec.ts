import { ExemptionDriver } from '../support/exemption-driver';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * A period that runs past the working-day calendar's last year is refused with a sentence naming the
 * file to add, and nothing is written: never counted in calendar days instead. The notice period is
 * set to 300 working days so that, counted from any day of 2026, it reaches past cn-2026.yaml.
 */
describe('working-day periods past the calendar', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  beforeAll(async () => {
    t = await bootTestApp({ configOverrides: { 'exemption/notice.yaml': { version: 'notice-long', periodDays: 300 } } });
    x = new ExemptionDriver(t);
  });
  afterAll(() => t.close());

  it('refuses the decision (422) and writes nothing when the notice would end after the last covered year', async () => {
    const caseId = await x.review();
    await x.verifyAll(caseId);
    const before = await x.d.get(caseId, 'committee_chair_1');
    const r = await x.d.send(caseId, 'committee_chair_1', { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'Duties performed.' });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(
      /^The public notice period would run into 20\d\d, but the working-day calendar covers 2026–2026 only \(cn-2026\.1\)\. Add config\/calendar\/cn-2027\.yaml/,
    );
    expect(r.body.messageZh).toEqual(expect.any(String));
    const after = await x.d.get(caseId, 'committee_chair_1');
    expect(after.version).toBe(before.version);
    expect(after.state).toBe('exemptionReview.decision');
    expect((await x.history(caseId)).map((e) => e.type)).not.toContain('DECIDE_EXEMPTION');
  });
});
