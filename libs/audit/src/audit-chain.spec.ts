import { createHash } from 'node:crypto';
import { ChainWalker, GENESIS_HASH, hashEntry, verifyChain, type AuditEntry } from './audit-chain';
import { canonicalJson } from './canonical-json';
import { verifyCaseChains, type CaseHead } from './chains-verifier';

function chain(caseId: string | null, n: number, firstSeq = 1): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const body = {
      seq: String(firstSeq + i),
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actorId: null,
      actorRoles: ['investment_manager'],
      caseId,
      type: i === 0 ? 'CASE_CREATED' : 'SUBMIT',
      fromState: null,
      toState: 'draft',
      reason: null,
      payload: { version: i + 1, input: { b: 1, a: [true, null] } },
      prevHash,
    };
    const e = { ...body, hash: hashEntry(body) };
    out.push(e);
    prevHash = e.hash;
  }
  return out;
}

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield await Promise.resolve(i);
}

describe('canonical JSON', () => {
  it('sorts keys, drops undefined members, keeps null, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: undefined }, é: 'x', B: [1, undefined, 'y'] })).toBe(
      '{"B":[1,null,"y"],"a":{"d":null},"b":1,"é":"x"}',
    );
  });

  it('encodes strings and numbers as JSON.stringify does, and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ s: 'line\n"quoted" 中文', n: -12.5, z: 0, big: 9007199254740991 })).toBe(
      '{"big":9007199254740991,"n":-12.5,"s":"line\\n\\"quoted\\" 中文","z":0}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ x: 1n })).toThrow(TypeError);
  });

  it('gives the hash an outside tool computes from the documented rule', () => {
    const [e] = chain('c1', 1);
    const { hash, ...body } = e;
    const keys = Object.keys(body).sort();
    const manual = `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((body as Record<string, unknown>)[k])}`).join(',')}}`;
    expect(hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + manual)
        .digest('hex'),
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain whose head is its newest hash', () => {
    const c = chain('c1', 5);
    expect(verifyChain(c, c[4].hash)).toEqual({ valid: true, checked: 5 });
    expect(verifyChain([], null)).toEqual({ valid: true, checked: 0 });
  });

  it('names the edited entry', () => {
    const c = chain('c1', 5);
    c[2] = { ...c[2], reason: 'rewritten later' };
    expect(verifyChain(c, c[4].hash)).toMatchObject({ valid: false, checked: 3, firstBrokenSeq: '3' });
  });

  it('names the entry after a removed one', () => {
    const c = chain('c1', 5);
    const head = c[4].hash;
    c.splice(1, 1);
    expect(verifyChain(c, head)).toMatchObject({ valid: false, firstBrokenSeq: '3', problem: expect.stringMatching(/prevHash/) });
  });

  it('finds a removed tail through the stored head', () => {
    const c = chain('c1', 5);
    const r = verifyChain(c.slice(0, 3), c[4].hash);
    expect(r).toMatchObject({ valid: false, checked: 3, problem: expect.stringMatching(/head/) });
    expect(r.firstBrokenSeq).toBeUndefined();
  });

  it('stops reading after the first break', () => {
    const c = chain('c1', 3);
    const w = new ChainWalker();
    expect(w.add({ ...c[0], hash: 'f'.repeat(64) })).toBe(false);
    expect(w.add(c[1])).toBe(false);
    expect(w.finish(c[2].hash)).toMatchObject({ valid: false, checked: 1, firstBrokenSeq: '1' });
  });
});

describe('verifyCaseChains (merge of sorted heads and entries)', () => {
  const a = chain('aaaaaaaa-0000-4000-8000-000000000000', 3, 1);
  const b = chain('bbbbbbbb-0000-4000-8000-000000000000', 2, 10);
  const c = chain('cccccccc-0000-4000-8000-000000000000', 4, 20);
  const heads = (): CaseHead[] => [a, b, c].map((x) => ({ caseId: x[0].caseId!, headHash: x[x.length - 1].hash }));

  it('verifies every chain and sums the entries', async () => {
    const seen: string[] = [];
    const s = await verifyCaseChains(stream(heads()), stream([...a, ...b, ...c]), (r) => {
      seen.push(`${r.caseId}:${r.valid}`);
    });
    expect(s).toEqual({ valid: true, chains: 3, checked: 9, brokenChains: 0 });
    expect(seen).toHaveLength(3);
  });

  it('reports a case whose entries are all gone, entries with no case, and the lowest broken seq', async () => {
    const orphan = chain('abcdef00-0000-4000-8000-000000000000', 2, 30);
    const edited = [...c];
    edited[3] = { ...edited[3], type: 'FORGED' };
    const results: { caseId: string | null; valid: boolean; firstBrokenSeq?: string }[] = [];
    const s = await verifyCaseChains(stream(heads()), stream([...a, ...orphan, ...edited]), (r) => {
      results.push(r);
    });
    expect(s).toMatchObject({ valid: false, chains: 4, brokenChains: 3, firstBrokenSeq: '23' });
    expect(results.map((r) => [r.caseId?.slice(0, 8), r.valid, r.firstBrokenSeq])).toEqual([
      ['aaaaaaaa', true, undefined],
      ['abcdef00', false, '30'],
      ['bbbbbbbb', false, undefined],
      ['cccccccc', false, '23'],
    ]);
  });
});
