/**
 * The files part of `npm run bench`: upload time and the API process's memory for evidence files of
 * 1 MB and 25 MB (the API streams them: its resident memory should not grow with the file), and the
 * time to issue an exemption determination for a case with 200 history entries (first issue, and
 * the re-issue of the unchanged record).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApiProcess } from '../tests/support/test-app';

const MB = 1024 * 1024;

/** Resident memory of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Runs `work` while sampling the process's RSS every 5 ms: the time it took and the highest RSS seen. */
async function measured<T>(pid: number, work: () => Promise<T>): Promise<{ ms: number; peakRssMiB: number; result: T }> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 5);
  const started = performance.now();
  try {
    const result = await work();
    return { ms: Math.round(performance.now() - started), peakRssMiB: Math.round(peak * 10) / 10, result };
  } finally {
    clearInterval(timer);
  }
}

async function call(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

export interface FilesBenchResult {
  uploads: { sizeMiB: number; ms: number; mibPerSecond: number; rssBeforeMiB: number; peakRssMiB: number; status: number }[];
  determination: {
    historyEntries: number;
    firstIssueMs: number;
    reissueMs: number;
    peakRssMiB: number;
    rssBeforeMiB: number;
    pdfBytes: number;
  };
}

export async function filesBench(
  api: ApiProcess,
  login: (username: string) => Promise<string>,
  log: (m: string) => void,
): Promise<FilesBenchResult> {
  const pid = api.child.pid!;
  const owner = await login('investment_manager_1');
  const funds = (await call(api.url, owner, 'GET', '/api/funds')).body as { id: string; type: string }[];
  const fundId = funds.find((f) => f.type === 'venture')!.id;
  const created = await call(api.url, owner, 'POST', '/api/cases', {
    fundId,
    companyName: '基准测试科技有限公司',
    sector: 'semiconductors',
    requestedAmountFen: 100_000_000,
    summary: 'Bench case.',
  });
  const caseId = created.body.id as string;

  const uploads: FilesBenchResult['uploads'] = [];
  for (const size of [1, 25, 1, 25, 1, 25]) {
    const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size * MB - 9)]);
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'application/pdf' }), `尽调报告-${size}MB.pdf`);
    const rssBefore = rssMiB(pid);
    const m = await measured(
      pid,
      async () =>
        (
          await fetch(`${api.url}/api/cases/${caseId}/evidence`, {
            method: 'POST',
            headers: { authorization: `Bearer ${owner}` },
            body: form,
          })
        ).status,
    );
    uploads.push({
      sizeMiB: size,
      ms: m.ms,
      mibPerSecond: Math.round((size / (m.ms / 1000)) * 10) / 10,
      rssBeforeMiB: Math.round(rssBefore * 10) / 10,
      peakRssMiB: m.peakRssMiB,
      status: m.result,
    });
    log(`upload ${size} MiB: ${m.ms} ms, API RSS ${rssBefore.toFixed(1)} → peak ${m.peakRssMiB} MiB (status ${m.result})`);
  }

  // A case with 200 history entries: the usual path, many monitoring reports, an exit at a loss, the review.
  const t: Record<string, string> = {};
  for (const u of [
    'department_head_1',
    'legal_officer_1',
    'legal_officer_2',
    'risk_officer_1',
    'committee_chair_1',
    'compliance_officer_1',
    'committee_member_1',
    'committee_member_2',
    'committee_member_3',
    'committee_member_4',
    'committee_member_5',
    // The exemption decision panel (config/exemption/decision.yaml): department heads outside the investment decision.
    'department_head_3',
    'department_head_4',
    'department_head_5',
  ])
    t[u] = await login(u);
  const c = (
    await call(api.url, owner, 'POST', '/api/cases', {
      fundId,
      companyName: '两百条记录股份有限公司',
      sector: 'biotech',
      requestedAmountFen: 500_000_000,
      summary: 'Bench.',
    })
  ).body.id as string;
  let version = 1;
  const send = async (token: string, event: Record<string, unknown>) => {
    const r = await call(api.url, token, 'POST', `/api/cases/${c}/events`, { ...event, expectedVersion: version });
    if (r.status !== 200) throw new Error(`${String(event.type)}: ${r.status} ${JSON.stringify(r.body)}`);
    version = r.body.version;
  };
  await send(owner, { type: 'SUBMIT' });
  await send(t.department_head_1, { type: 'APPROVE', reason: 'Fits.' });
  for (const ws of ['business', 'financial', 'technical'])
    await send(owner, { type: 'SUBMIT_DD_REPORT', workstream: ws, conclusion: 'Positive', findings: 'Checked.' });
  await send(t.legal_officer_1, { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'Clean', findings: 'IP clean.' });
  await send(t.risk_officer_1, { type: 'RISK_OPINION', opinion: 'pass', reason: 'Acceptable.' });
  for (let i = 1; i <= 5; i++) await send(t[`committee_member_${i}`], { type: 'CAST_VOTE', vote: 'approve', reason: 'Sound.' });
  await send(t.committee_chair_1, { type: 'CLOSE_VOTING' });
  const day = 86_400_000;
  await send(owner, { type: 'RECORD_SIGNING', signedAt: new Date(Date.now() - 400 * day).toISOString() });
  await send(owner, { type: 'RECORD_FUNDING', amountFen: 500_000_000, fundedAt: new Date(Date.now() - 399 * day).toISOString() });
  const sofar = async () => ((await call(api.url, owner, 'GET', `/api/cases/${c}/history`)).body as unknown[]).length;
  const target = 200 - 2 - 1 - 6 - 1; // exit (2), filing, six findings, decision
  for (let n = await sofar(); n < target; n++)
    await send(owner, { type: 'SUBMIT_MONITORING_REPORT', period: `P${n}`, summary: '经营情况正常，按期报告。' });
  await send(owner, { type: 'START_EXIT', channel: 'transfer' });
  await send(t.department_head_1, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 200_000_000, sourceDocument: '股权转让协议 第12号' });
  await send(owner, { type: 'COMPLETE_EXIT', proceedsFen: 200_000_000, exitedAt: new Date().toISOString() });
  await send(owner, {
    type: 'FILE_EXEMPTION',
    lossCause: 'market',
    statement: 'Market moved.',
    evidence: [],
    declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
  });
  for (const [criterion, u] of [
    ['lawful_compliant', 'legal_officer_2'],
    ['procedure_followed', 'compliance_officer_1'],
    ['diligent_due_diligence', 'compliance_officer_1'],
    ['no_personal_gain', 'compliance_officer_1'],
    ['timely_monitoring', 'compliance_officer_1'],
    ['objective_cause', 'compliance_officer_1'],
  ])
    await send(t[u], {
      type: 'VERIFY_CRITERION',
      criterion,
      finding: 'met',
      note: 'Checked.',
      // The reports came faster than the cadence's automatic evidence allows: met needs an open override.
      ...(criterion === 'timely_monitoring' ? { overrideReason: 'Quarterly reports filed on paper, archive P-7.' } : {}),
    });
  // 三个区分开来 (machine version 5), then the panel votes and its member decides.
  for (const distinction of ['inexperience_vs_knowing_violation', 'trial_vs_prohibition', 'development_vs_personal_gain'])
    await send(t.compliance_officer_1, {
      type: 'RECORD_DISTINCTION',
      distinction,
      side: 'tolerable',
      reasons: 'Exploratory investment, no prohibition, no personal gain.',
      evidence: [{ title: 'Board minutes', ref: 'ARCH-2026-051' }],
    });
  for (const member of ['department_head_3', 'department_head_4', 'department_head_5'])
    await send(t[member], { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'Diligent; market cause.' });
  await send(t.department_head_3, { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'Diligent; market cause.' });
  const historyEntries = await sofar();
  const rssBefore = rssMiB(pid);
  const issue = () => call(api.url, t.compliance_officer_1, 'POST', `/api/cases/${c}/documents`, { kind: 'exemption_determination' });
  const first = await measured(pid, issue);
  const again = await measured(pid, issue);
  if (first.result.status !== 201 || again.result.status !== 200)
    throw new Error(`determination: ${first.result.status}/${again.result.status}`);
  const determination = {
    historyEntries,
    firstIssueMs: first.ms,
    reissueMs: again.ms,
    rssBeforeMiB: Math.round(rssBefore * 10) / 10,
    peakRssMiB: Math.max(first.peakRssMiB, again.peakRssMiB),
    pdfBytes: Number(first.result.body.sizeBytes),
  };
  log(
    `determination, ${historyEntries} history entries: first issue ${first.ms} ms, re-issue (unchanged) ${again.ms} ms, API RSS ${determination.rssBeforeMiB} → peak ${determination.peakRssMiB} MiB, PDF ${determination.pdfBytes} bytes`,
  );
  return { uploads, determination };
}
