/**
 * `npm run security:probe -- --url http://127.0.0.1:3000 [--jwt-secret <secret>] [--production] [--json]`
 *
 * Replays the HTTP-observable findings of the security review of issue 15 against a running API and
 * prints one verdict per finding: FIXED (the API answers as the fix requires), PRESENT (it answers as
 * the review found) or N/A (the probe cannot tell, and why), each with what it saw. It needs the demo
 * users (password demo-password: demo mode, or ALLOW_DEMO_USERS=true) and writes what any client could:
 * a few cases, events, logins and one fund (on an API that accepts unbounded amounts). Meant for a
 * disposable database, not a production one.
 *
 * --jwt-secret: the API's JWT_SECRET, to sign a token for a user id that does not exist (N/A without it).
 * --production: the API under probe runs with NODE_ENV=production (the /api/docs probe is N/A without it).
 * The throttling probe runs last, with its own account (compliance_officer_2), which it leaves throttled.
 *
 * Exit codes: 0 when no finding is present, 1 when one is, 2 on a usage error or an API that does not answer.
 */
import { createHmac, randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { networkInterfaces } from 'node:os';

type Verdict = 'FIXED' | 'PRESENT' | 'N/A';

interface Result {
  id: string;
  finding: string;
  verdict: Verdict;
  saw: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: unknown;
}

interface RequestOptions {
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Another base URL for this request (the same API reached through another address). */
  base?: URL;
}

const DEMO_PASSWORD = 'demo-password';
const USAGE = 'Usage: security-probe --url http://127.0.0.1:3000 [--jwt-secret <secret>] [--production] [--json]';
const SPOOFED_IP = '203.0.113.77';

function parseArgs(argv: string[]): { url: URL; jwtSecret?: string; production: boolean; json: boolean } {
  let url: string | undefined;
  let jwtSecret: string | undefined;
  let production = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === '--url') url = inline ?? argv[++i];
    else if (flag === '--jwt-secret') jwtSecret = inline ?? argv[++i];
    else if (flag === '--production') production = true;
    else if (flag === '--json') json = true;
    else throw new Error(`Unknown option ${arg}.\n${USAGE}`);
  }
  if (!url) throw new Error(`--url is required.\n${USAGE}`);
  return { url: new URL(url), jwtSecret, production, json };
}

// ---- small readers for untyped JSON ----

function get(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const header = (a: Answer, name: string): string | undefined => {
  const v = a.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
};
const short = (text: string, max = 90): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};
/** `401 "Invalid username or password"`: the status and the error message, if any. */
const brief = (a: Answer): string => {
  const message = str(get(a.body, 'message')) ?? (Array.isArray(get(a.body, 'message')) ? arr(get(a.body, 'message')).join('; ') : '');
  return message ? `${a.status} "${short(message, 70)}"` : String(a.status);
};

class Probe {
  private readonly tokens = new Map<string, string>();
  private readonly userIds = new Map<string, string>();
  private fundIdCache?: string;

  constructor(
    private readonly url: URL,
    private readonly jwtSecret: string | undefined,
    private readonly production: boolean,
  ) {}

  // ---- HTTP ----

  request(method: string, path: string, o: RequestOptions = {}): Promise<Answer> {
    const base = o.base ?? this.url;
    const target = new URL(path, base);
    const headers: Record<string, string | number> = { accept: 'application/json, text/csv, */*', ...(o.headers ?? {}) };
    let payload: Buffer | undefined;
    if (o.raw !== undefined) payload = Buffer.isBuffer(o.raw) ? o.raw : Buffer.from(o.raw, 'utf8');
    else if (o.body !== undefined) payload = Buffer.from(JSON.stringify(o.body), 'utf8');
    if (payload) {
      headers['content-type'] = o.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const lib = target.protocol === 'https:' ? https : http;
    return new Promise<Answer>((resolve, reject) => {
      let answered = false;
      const req = lib.request(target, { method, headers, timeout: 60_000 }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
      // A server that answers (413) before reading the whole body may close while it is still being sent.
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      req.end(payload);
    });
  }

  async login(username: string, o: { fresh?: boolean; headers?: Record<string, string>; base?: URL } = {}): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached && !o.fresh) return cached;
    const res = await this.request('POST', '/api/auth/login', {
      body: { username, password: DEMO_PASSWORD },
      headers: o.headers,
      base: o.base,
    });
    const token = str(get(res.body, 'accessToken'));
    if (res.status !== 200 || !token) throw new Error(`login as ${username}: ${brief(res)}`);
    const id = str(get(res.body, 'user', 'id'));
    if (id) this.userIds.set(username, id);
    if (!o.fresh) this.tokens.set(username, token);
    return token;
  }

  async as(username: string, method: string, path: string, o: RequestOptions = {}): Promise<Answer> {
    return this.request(method, path, { ...o, token: await this.login(username) });
  }

  async userId(username: string): Promise<string> {
    if (!this.userIds.has(username)) await this.login(username);
    return this.userIds.get(username)!;
  }

  // ---- cases ----

  async fundId(): Promise<string> {
    if (this.fundIdCache) return this.fundIdCache;
    const res = await this.as('auditor_1', 'GET', '/api/funds');
    const funds = arr(res.body);
    const venture = funds.find((f) => get(f, 'type') === 'venture') ?? funds[0];
    const id = str(get(venture, 'id'));
    if (!id) throw new Error(`GET /api/funds: ${brief(res)}, no fund`);
    return (this.fundIdCache = id);
  }

  async createCase(fields: Record<string, unknown> = {}, owner = 'investment_manager_1'): Promise<Answer> {
    return this.as(owner, 'POST', '/api/cases', {
      body: {
        fundId: await this.fundId(),
        companyName: `Probe Co ${randomUUID().slice(0, 8)}`,
        sector: 'semiconductors',
        requestedAmountFen: 100_000_000,
        summary: 'A case created by the security probe.',
        ...fields,
      },
    });
  }

  async newCase(fields: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
    const res = await this.createCase(fields);
    const id = str(get(res.body, 'id'));
    if (res.status !== 201 || !id) throw new Error(`POST /api/cases: ${brief(res)}`);
    return { id, version: num(get(res.body, 'version')) ?? 1 };
  }

  /** Sends an event at the case's version; the case's new version when accepted. */
  async send(c: { id: string; version: number }, username: string, event: Record<string, unknown>, headers?: Record<string, string>) {
    const res = await this.as(username, 'POST', `/api/cases/${c.id}/events`, { body: { expectedVersion: c.version, ...event }, headers });
    if (res.status === 200) c.version = num(get(res.body, 'version')) ?? c.version + 1;
    return res;
  }

  async ok(c: { id: string; version: number }, username: string, event: Record<string, unknown>): Promise<void> {
    const res = await this.send(c, username, event);
    if (res.status !== 200) throw new Error(`${String(event.type)} by ${username}: ${brief(res)}`);
  }

  /** Proposal → screening → due diligence → risk review → committee → execution (awaiting signing). */
  async toExecution(c: { id: string; version: number }): Promise<void> {
    await this.ok(c, 'investment_manager_1', { type: 'SUBMIT' });
    await this.ok(c, 'department_head_1', { type: 'APPROVE', reason: 'Fits the fund strategy.' });
    for (const workstream of ['business', 'financial', 'technical']) {
      await this.ok(c, 'investment_manager_1', {
        type: 'SUBMIT_DD_REPORT',
        workstream,
        conclusion: 'Positive',
        findings: `${workstream} findings`,
      });
    }
    await this.ok(c, 'legal_officer_1', { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'No issue', findings: 'IP clean' });
    await this.ok(c, 'risk_officer_1', { type: 'RISK_OPINION', opinion: 'pass', reason: 'Risk reviewed.' });
    for (let i = 1; i <= 5; i++) {
      await this.ok(c, `committee_member_${i}`, { type: 'CAST_VOTE', vote: i < 5 ? 'approve' : 'reject', reason: 'Vote with reasons.' });
    }
    await this.ok(c, 'committee_chair_1', { type: 'CLOSE_VOTING' });
  }

  // ---- the probes ----

  async deepJson(): Promise<Omit<Result, 'id' | 'finding'>> {
    const raw = `{"username":${'['.repeat(3000)}${']'.repeat(3000)},"password":"x"}`;
    const res = await this.request('POST', '/api/auth/login', { raw });
    return { verdict: res.status === 400 ? 'FIXED' : 'PRESENT', saw: `POST /api/auth/login, 3,000-deep body → ${brief(res)}` };
  }

  async prototypeKeys(): Promise<Omit<Result, 'id' | 'finding'>> {
    const seen: string[] = [];
    let refused = 0;
    for (const key of ['__proto__', 'constructor']) {
      const raw = `{"username":"auditor_1","password":"${DEMO_PASSWORD}","${key}":{"isAdmin":true}}`;
      const res = await this.request('POST', '/api/auth/login', { raw });
      if (res.status === 400) refused++;
      seen.push(`${key} → ${res.status}`);
    }
    return { verdict: refused === 2 ? 'FIXED' : 'PRESENT', saw: `login body with an extra key: ${seen.join(', ')}` };
  }

  async securityHeaders(): Promise<Omit<Result, 'id' | 'finding'>> {
    const missing: string[] = [];
    const seen: string[] = [];
    for (const path of ['/api/health', '/']) {
      const res = await this.request('GET', path);
      const csp = header(res, 'content-security-policy') ?? '';
      const checks: [string, boolean][] = [
        ['nosniff', /nosniff/i.test(header(res, 'x-content-type-options') ?? '')],
        ['frame-ancestors/X-Frame-Options', /frame-ancestors/i.test(csp) || /deny|sameorigin/i.test(header(res, 'x-frame-options') ?? '')],
        ['CSP', csp.length > 0],
        ['Referrer-Policy', (header(res, 'referrer-policy') ?? '').length > 0],
      ];
      if (path.startsWith('/api')) checks.push(['Cache-Control no-store', /no-store/i.test(header(res, 'cache-control') ?? '')]);
      const absent = checks.filter(([, ok]) => !ok).map(([name]) => name);
      seen.push(`${path} ${res.status}: ${absent.length ? `missing ${absent.join(', ')}` : 'all present'}`);
      missing.push(...absent);
    }
    return { verdict: missing.length === 0 ? 'FIXED' : 'PRESENT', saw: seen.join('; ') };
  }

  async errorBodies(): Promise<Omit<Result, 'id' | 'finding'>> {
    const big = `{"username":"auditor_1","password":"${'x'.repeat(1_200_000)}"}`;
    const tooLarge = await this.request('POST', '/api/auth/login', { raw: big });
    // A 415: a form-encoded body, or (where that is read as an empty body) a JSON body in an unsupported encoding.
    const formEncoded = await this.request('POST', '/api/auth/login', {
      raw: `username=auditor_1&password=${DEMO_PASSWORD}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    const compressed =
      formEncoded.status === 415
        ? undefined
        : await this.request('POST', '/api/auth/login', {
            body: { username: 'auditor_1', password: 'x' },
            headers: { 'content-encoding': 'compress' },
          });
    const describe = (a: Answer, want: number) => {
      const requestId = str(get(a.body, 'requestId'));
      const messageZh = str(get(a.body, 'messageZh'));
      const ok = a.status === want && !!requestId && !!messageZh;
      const id = requestId ? 'set' : JSON.stringify(requestId ?? null);
      return {
        ok,
        text: `${a.status}${a.status === want ? '' : ` (not ${want})`}, requestId ${id}, messageZh ${messageZh ? 'set' : 'absent'}`,
      };
    };
    const large = describe(tooLarge, 413);
    const wrongType = describe(compressed ?? formEncoded, 415);
    const how = compressed ? `form-encoded body → ${formEncoded.status}, Content-Encoding: compress →` : 'form-encoded body →';
    return { verdict: large.ok && wrongType.ok ? 'FIXED' : 'PRESENT', saw: `1.2 MB body → ${large.text}; ${how} ${wrongType.text}` };
  }

  async forwardedFor(): Promise<Omit<Result, 'id' | 'finding'>> {
    const username = 'legal_officer_2';
    const sources: { label: string; base: URL }[] = [{ label: this.url.hostname, base: this.url }];
    // The same API through this machine's own non-loopback address (a client that is not on loopback).
    const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(this.url.hostname);
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (loopback && lan) {
      const base = new URL(this.url.toString());
      base.hostname = lan.address;
      sources.push({ label: lan.address, base });
    }
    const userId = await this.userId(username);
    const seen: string[] = [];
    let believed = false;
    for (const s of sources) {
      let sessionToken: string;
      try {
        sessionToken = await this.login(username, { fresh: true, headers: { 'x-forwarded-for': SPOOFED_IP }, base: s.base });
      } catch (err) {
        seen.push(`from ${s.label}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const res = await this.as('auditor_1', 'GET', `/api/audit/events?type=LOGIN_SUCCEEDED&actorId=${userId}&limit=500`);
      const entries = arr(get(res.body, 'items'));
      if (res.status !== 200 || entries.length === 0) return { verdict: 'N/A', saw: `GET /api/audit/events → ${brief(res)}` };
      // Oldest first: the last entry is this login (the audit list pages: read to the end).
      let last = entries[entries.length - 1];
      let cursor = str(get(res.body, 'nextCursor'));
      while (cursor) {
        const page = await this.as(
          'auditor_1',
          'GET',
          `/api/audit/events?type=LOGIN_SUCCEEDED&actorId=${userId}&limit=500&cursor=${encodeURIComponent(cursor)}`,
        );
        const more = arr(get(page.body, 'items'));
        if (more.length) last = more[more.length - 1];
        cursor = str(get(page.body, 'nextCursor'));
      }
      void sessionToken;
      const ip = get(last, 'payload', 'ip');
      if (ip === SPOOFED_IP) believed = true;
      seen.push(`from ${s.label}: LOGIN_SUCCEEDED ip ${JSON.stringify(ip ?? null)}`);
    }
    return {
      verdict: believed ? 'PRESENT' : 'FIXED',
      saw: `login with X-Forwarded-For: ${SPOOFED_IP} (no proxy configured): ${seen.join('; ')}`,
    };
  }

  async logout(): Promise<Omit<Result, 'id' | 'finding'>> {
    const token = await this.login('risk_officer_1', { fresh: true });
    const before = await this.request('GET', '/api/funds', { token });
    const out = await this.request('POST', '/api/auth/logout', { token });
    const after = await this.request('GET', '/api/funds', { token });
    const saw = `token ${before.status}; POST /api/auth/logout → ${out.status}; the same token then → ${after.status}`;
    if (before.status !== 200) return { verdict: 'N/A', saw };
    return { verdict: out.status >= 200 && out.status < 300 && after.status === 401 ? 'FIXED' : 'PRESENT', saw };
  }

  async needToKnow(): Promise<Omit<Result, 'id' | 'finding'>> {
    const c = await this.newCase();
    const seen: string[] = [];
    let open = 0;
    let total = 0;
    const owner = await this.as('investment_manager_1', 'GET', `/api/cases/${c.id}`);
    for (const username of ['investment_manager_2', 'risk_officer_2']) {
      for (const path of ['', '/history']) {
        const res = await this.as(username, 'GET', `/api/cases/${c.id}${path}`);
        total++;
        if (res.status === 200) open++;
        seen.push(`${username} ${path || 'case'} → ${res.status}`);
      }
    }
    const saw = `draft of investment_manager_1 (owner → ${owner.status}): ${seen.join(', ')}`;
    return { verdict: open === 0 ? 'FIXED' : 'PRESENT', saw: open > 0 && open < total ? `${saw} (partly)` : saw };
  }

  async csvExport(): Promise<Omit<Result, 'id' | 'finding'>> {
    const formula = '=HYPERLINK("http://evil.example/x","click")';
    const leads: [string, string][] = [
      ['space', ' '],
      ['NBSP', '\u00A0'],
      ['ZWSP', '\u200B'],
      ['LF', '\n'],
    ];
    const c = await this.newCase({ companyName: ` ${formula}`, summary: ` ${formula}` });
    const sent: string[] = [];
    for (const [name, lead] of leads) {
      await this.ok(c, 'investment_manager_1', { type: 'SUBMIT' });
      const res = await this.send(c, 'department_head_1', { type: 'RETURN', reason: `${lead}${formula}` });
      if (res.status !== 200) return { verdict: 'N/A', saw: `RETURN with a reason led by ${name} → ${brief(res)}` };
      sent.push(`${lead}${formula}`);
    }
    const res = await this.as('auditor_1', 'GET', `/api/audit/export?caseId=${c.id}&format=csv`);
    if (res.status !== 200) return { verdict: 'N/A', saw: `GET /api/audit/export → ${brief(res)}` };
    const rows = parseCsv(res.text.replace(/^\uFEFF/, ''));
    const reasonAt = rows[0]?.indexOf('reason') ?? -1;
    if (reasonAt < 0) return { verdict: 'N/A', saw: 'the export has no reason column' };
    const cells = rows.slice(1).map((r) => r[reasonAt] ?? '');
    const seen: string[] = [];
    let raw = 0;
    leads.forEach(([name], i) => {
      const cell = cells.find((v) => v === sent[i] || v === `'${sent[i]}`);
      const state = cell === undefined ? 'not found' : cell.startsWith("'") ? "neutralised (')" : 'as is';
      if (cell !== undefined && !cell.startsWith("'")) raw++;
      seen.push(`${name} ${state}`);
    });
    const found = seen.filter((s) => !s.endsWith('not found')).length;
    if (found === 0) return { verdict: 'N/A', saw: `reason cells not found in the export: ${seen.join(', ')}` };
    return { verdict: raw === 0 ? 'FIXED' : 'PRESENT', saw: `CSV reason cell "<lead>=HYPERLINK(…)": ${seen.join(', ')}` };
  }

  async money(): Promise<Omit<Result, 'id' | 'finding'>> {
    const half = 4_503_599_627_370_496; // 2^52: two of them (+1) sum to 2^53 + 1, which a double cannot hold
    // 2^53 + 1 written in the JSON text itself: JSON.parse reads it as 2^53.
    const fields = { fundId: await this.fundId(), companyName: 'Probe unsafe amount', sector: 'semiconductors', summary: 'x' };
    const unsafe = await this.as('investment_manager_1', 'POST', '/api/cases', {
      raw: JSON.stringify({ ...fields, requestedAmountFen: 0 }).replace('"requestedAmountFen":0', '"requestedAmountFen":9007199254740993'),
    });
    const big = await this.createCase({ requestedAmountFen: half + 1 });
    const first = `requestedAmountFen 9007199254740993 → ${unsafe.status}; 2^52+1 → ${big.status}`;
    if (big.status >= 400 && big.status < 500) return { verdict: 'FIXED', saw: `${first} (refused: no two amounts reach 2^53)` };
    if (big.status !== 201) return { verdict: 'N/A', saw: first };
    // Accepted: fund two cases in a fund of their own with 2^52 and 2^52 + 1 fen and read the fund's sum.
    const fund = await this.as('admin_1', 'POST', '/api/funds', {
      body: {
        name: `Probe fund ${randomUUID().slice(0, 8)}`,
        type: 'venture',
        sizeFen: Number.MAX_SAFE_INTEGER,
        vintageYear: 2025,
        termYears: 10,
      },
    });
    const fundId = str(get(fund.body, 'id'));
    if (fund.status !== 201 || !fundId)
      return { verdict: 'PRESENT', saw: `${first}; accepted (POST /api/funds for the sum → ${brief(fund)})` };
    const funded: string[] = [];
    for (const amountFen of [half, half + 1]) {
      const c = await this.newCase({ fundId, requestedAmountFen: amountFen });
      try {
        await this.toExecution(c);
        await this.ok(c, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt: '2026-01-10T00:00:00Z' });
        const res = await this.send(c, 'investment_manager_1', { type: 'RECORD_FUNDING', amountFen, fundedAt: '2026-01-20T00:00:00Z' });
        funded.push(String(res.status));
        if (res.status !== 200) return { verdict: 'FIXED', saw: `${first}; RECORD_FUNDING ${amountFen} → ${brief(res)}` };
      } catch (err) {
        return { verdict: 'N/A', saw: `${first}; walking a case to funding: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    const res = await this.as('auditor_1', 'GET', `/api/funds/${fundId}`);
    const invested = /"investedFen":"?(-?[0-9.e+]+)"?/.exec(res.text)?.[1];
    const exact = (BigInt(half) * 2n + 1n).toString();
    if (res.status !== 200 || invested === undefined) return { verdict: 'N/A', saw: `${first}; GET /api/funds/:id → ${brief(res)}` };
    return {
      verdict: invested === exact ? 'FIXED' : 'PRESENT',
      saw: `${first}; funded 2^52 and 2^52+1 fen: investedFen ${invested} (exact ${exact})`,
    };
  }

  async signingDate(): Promise<Omit<Result, 'id' | 'finding'>> {
    const c = await this.newCase();
    let where = 'awaiting signing';
    try {
      await this.toExecution(c);
    } catch (err) {
      where = `walk stopped (${err instanceof Error ? err.message : String(err)})`;
    }
    const res = await this.send(c, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt: '1900-01-01' });
    const saw = `RECORD_SIGNING signedAt 1900-01-01 on a case ${where} → ${brief(res)}`;
    if (res.status === 400) return { verdict: 'FIXED', saw };
    if (res.status === 200) return { verdict: 'PRESENT', saw };
    return { verdict: 'N/A', saw };
  }

  async idempotency(): Promise<Omit<Result, 'id' | 'finding'>> {
    const c = await this.newCase();
    const key = randomUUID();
    const event = { type: 'SUBMIT', expectedVersion: c.version };
    const first = await this.as('investment_manager_1', 'POST', `/api/cases/${c.id}/events`, {
      body: event,
      headers: { 'idempotency-key': key },
    });
    const again = await this.as('investment_manager_1', 'POST', `/api/cases/${c.id}/events`, {
      body: event,
      headers: { 'idempotency-key': key },
    });
    const kase = await this.as('investment_manager_1', 'GET', `/api/cases/${c.id}`);
    // The same body, whatever the order of its keys (a stored answer may come back with them reordered).
    const same = again.status === first.status && canonical(again.body) === canonical(first.body);
    const replayed = header(again, 'idempotent-replayed');
    const saw = `SUBMIT twice with one Idempotency-Key → ${first.status}, then ${brief(again)}${same ? ' with the same body' : ''}${replayed ? ` (Idempotent-Replayed: ${replayed})` : ''}; case version ${String(get(kase.body, 'version'))}`;
    if (first.status !== 200) return { verdict: 'N/A', saw };
    return { verdict: same ? 'FIXED' : 'PRESENT', saw };
  }

  async forgedToken(): Promise<Omit<Result, 'id' | 'finding'>> {
    if (!this.jwtSecret) return { verdict: 'N/A', saw: 'no --jwt-secret given' };
    const real = await this.login('auditor_1');
    const [h, p] = real.split('.');
    const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (head.alg !== 'HS256') return { verdict: 'N/A', saw: `tokens are signed with ${String(head.alg)}, not HS256` };
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ghost = randomUUID();
    const body = Buffer.from(JSON.stringify({ ...claims, sub: ghost, username: 'nobody_1' })).toString('base64url');
    const signature = createHmac('sha256', this.jwtSecret).update(`${h}.${body}`).digest('base64url');
    const check = await this.request('GET', '/api/funds', {
      token: `${h}.${p}.${createHmac('sha256', this.jwtSecret).update(`${h}.${p}`).digest('base64url')}`,
    });
    if (check.status !== 200)
      return { verdict: 'N/A', saw: `the real token re-signed with --jwt-secret → ${check.status} (wrong secret?)` };
    const res = await this.request('GET', '/api/funds', { token: `${h}.${body}.${signature}` });
    const saw = `GET /api/funds with a token signed for user ${ghost.slice(0, 8)}… (no such user) → ${brief(res)}`;
    return { verdict: res.status === 401 ? 'FIXED' : 'PRESENT', saw };
  }

  async docs(): Promise<Omit<Result, 'id' | 'finding'>> {
    const res = await this.request('GET', '/api/docs');
    const saw = `GET /api/docs → ${res.status}`;
    if (!this.production) return { verdict: 'N/A', saw: `${saw} (pass --production when the API runs with NODE_ENV=production)` };
    return { verdict: res.status === 404 ? 'FIXED' : 'PRESENT', saw: `${saw} (NODE_ENV=production)` };
  }

  async throttling(): Promise<Omit<Result, 'id' | 'finding'>> {
    const counts = new Map<number, number>();
    let throttled: Answer | undefined;
    let sent = 0;
    for (; sent < 60 && !throttled;) {
      const res = await this.request('POST', '/api/auth/login', { body: { username: 'compliance_officer_2', password: `wrong-${sent}` } });
      sent++;
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      if (res.status === 429) throttled = res;
    }
    const tally = [...counts].map(([status, n]) => `${n} × ${status}`).join(', ');
    if (!throttled) return { verdict: 'PRESENT', saw: `${sent} wrong passwords for compliance_officer_2: ${tally}` };
    const retryAfter = header(throttled, 'retry-after');
    return {
      verdict: retryAfter && Number(retryAfter) > 0 ? 'FIXED' : 'PRESENT',
      saw: `wrong passwords for compliance_officer_2: ${tally} (stopped at the first 429), Retry-After: ${retryAfter ?? 'absent'}`,
    };
  }
}

/** JSON with the keys of every object sorted, to compare bodies. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** RFC 4180: fields, quoted or not, with quoted line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const PROBES: { id: string; finding: string; run: (p: Probe) => Promise<Omit<Result, 'id' | 'finding'>> }[] = [
  { id: 'deep-json', finding: '3,000-deep JSON body on the login: 400, not 500', run: (p) => p.deepJson() },
  { id: 'proto-keys', finding: '__proto__ / constructor keys in a body: 400', run: (p) => p.prototypeKeys() },
  { id: 'headers', finding: 'Security headers on /api and /, Cache-Control no-store on /api', run: (p) => p.securityHeaders() },
  { id: 'error-bodies', finding: '413 and 415 answers carry requestId and messageZh', run: (p) => p.errorBodies() },
  { id: 'forwarded-for', finding: 'X-Forwarded-For from an untrusted client not audited as the source', run: (p) => p.forwardedFor() },
  { id: 'logout', finding: 'Logout revokes the token', run: (p) => p.logout() },
  { id: 'need-to-know', finding: 'Staff with no part in a case get 404 for it and its history', run: (p) => p.needToKnow() },
  { id: 'csv-formula', finding: 'CSV export neutralises = behind a space, NBSP, ZWSP or LF', run: (p) => p.csvExport() },
  { id: 'money', finding: 'Summed money past 2^53 fen not silently rounded', run: (p) => p.money() },
  { id: 'signing-date', finding: 'A signing date of 1900: 400', run: (p) => p.signingDate() },
  { id: 'idempotency', finding: 'A repeat under one Idempotency-Key gets the first answer', run: (p) => p.idempotency() },
  { id: 'ghost-token', finding: 'A signed token for a user id that does not exist: 401', run: (p) => p.forgedToken() },
  { id: 'docs', finding: '/api/docs in production: 404', run: (p) => p.docs() },
  { id: 'throttle', finding: 'Wrong passwords for one account: 429 with Retry-After', run: (p) => p.throttling() },
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const probe = new Probe(args.url, args.jwtSecret, args.production);
  await probe.request('GET', '/api/health').catch((err: unknown) => {
    throw new Error(`${args.url.origin} does not answer: ${err instanceof Error ? err.message : String(err)}`);
  });
  const results: Result[] = [];
  for (const { id, finding, run } of PROBES) {
    let result: Omit<Result, 'id' | 'finding'>;
    try {
      result = await run(probe);
    } catch (err) {
      result = { verdict: 'N/A', saw: `the probe could not run: ${err instanceof Error ? err.message : String(err)}` };
    }
    results.push({ id, finding, ...result });
    if (!args.json) process.stdout.write(`${result.verdict.padEnd(7)} ${id.padEnd(13)} ${finding}\n${' '.repeat(22)}${result.saw}\n`);
  }
  const tally = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  if (args.json) process.stdout.write(`${JSON.stringify({ url: args.url.toString(), at: new Date().toISOString(), results }, null, 2)}\n`);
  else
    process.stdout.write(`\n${tally('FIXED')} fixed, ${tally('PRESENT')} present, ${tally('N/A')} not applicable (${args.url.origin})\n`);
  if (tally('PRESENT') > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
