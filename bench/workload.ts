import { readdirSync, readFileSync } from 'node:fs';
import type { HttpClient } from './http-client';

/** Access tokens of the run: the case owner, the department head who returns cases, and others by username. */
export interface Tokens {
  owner: string;
  head: string;
  [username: string]: string;
}

export async function login(http: HttpClient, username: string): Promise<string> {
  const r = await http.call('POST', '/api/auth/login', undefined, { username, password: 'demo-password' });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return r.body.accessToken;
}

export async function createCases(
  http: HttpClient,
  tokens: Tokens,
  fundId: string,
  n: number,
): Promise<{ id: string; version: number; state: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = await http.call('POST', '/api/cases', tokens.owner, {
      fundId,
      companyName: `Bench ${Date.now()}-${i}`,
      sector: 'benchmarks',
      requestedAmountFen: 100_000_000,
      summary: 'Benchmark case cycling between draft and screening.',
    });
    if (r.status !== 201) throw new Error(`create case: ${r.status} ${JSON.stringify(r.body)}`);
    out.push({ id: r.body.id, version: r.body.version, state: r.body.state });
  }
  return out;
}

/** The next event of the draft ⇄ screening cycle: SUBMIT (owner) or RETURN (department head). */
export const nextEvent = (c: { state: string; version: number }, tokens: Tokens) =>
  c.state === 'draft'
    ? { token: tokens.owner, body: { type: 'SUBMIT', expectedVersion: c.version } }
    : { token: tokens.head, body: { type: 'RETURN', reason: 'Benchmark: back to draft', expectedVersion: c.version } };

/**
 * A process and its direct children (cluster workers, PostgreSQL backends), from /proc (Linux): each
 * one's pid, whether it is the root, and the fields of its `stat` after the command name.
 */
export function processTree(root: number): { pid: string; isRoot: boolean; stat: string[] }[] {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      // stat[1] is the parent pid.
      if (Number(entry) === root || Number(stat[1]) === root) out.push({ pid: entry, isRoot: Number(entry) === root, stat });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
