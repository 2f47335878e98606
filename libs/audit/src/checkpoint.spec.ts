import { generateKeyPairSync } from 'node:crypto';
import { readCheckpointSeries, signCheckpoint, type PinnedHead, type StoredCheckpoint } from './checkpoint';

const key = generateKeyPairSync('ed25519');
const head = (chain: string, seq: number, c = 'a'): PinnedHead => ({ chain, seq: String(seq), hash: c.repeat(64) });

/** Three checkpoints as the writer makes them, each linked to the one before. */
function series(privateKey = key.privateKey): StoredCheckpoint[] {
  const files: StoredCheckpoint[] = [];
  const rounds = [[head('case-1', 3), head('system', 1)], [head('case-1', 7, 'b'), head('case-2', 5)], [head('case-2', 9, 'c')]];
  rounds.forEach((heads, i) => {
    const text = signCheckpoint(privateKey, {
      number: i + 1,
      at: `2026-11-0${i + 1}T00:00:00.000Z`,
      reason: 'scheduled',
      previousText: files[i - 1]?.text ?? null,
      heads,
    });
    files.push({ name: `checkpoint-0000000${i + 1}.json`, text });
  });
  return files;
}

describe('anchored checkpoints', () => {
  it('accept a series signed by the key, each linked to the previous, and give each chain its latest pin', () => {
    const s = readCheckpointSeries(series(), key.publicKey);
    expect(s.problems).toEqual([]);
    expect(s.checkpoints.map((c) => c.number)).toEqual([1, 2, 3]);
    expect(Object.fromEntries([...s.latestPins].map(([c, p]) => [c, `${p.seq}@${p.checkpoint}`]))).toEqual({
      'case-1': '7@2',
      'case-2': '9@3',
      system: '1@1',
    });
  });

  it('refuse a checkpoint changed after signing (a pinned head moved to match a rewrite)', () => {
    const files = series();
    files[1] = { ...files[1], text: files[1].text.replace('b'.repeat(64), 'd'.repeat(64)) };
    const s = readCheckpointSeries(files, key.publicKey);
    expect(s.problems).toEqual([
      expect.stringContaining('checkpoint-00000002.json: has a signature that does not match its content'),
      // and the next one, which hashed the file as it was signed, no longer links to it
      expect.stringContaining("checkpoint-00000003.json: does not name the previous checkpoint's hash"),
    ]);
    // What the forged checkpoint claimed is not used; the earlier pin of case-1 stands.
    expect(s.latestPins.get('case-1')).toMatchObject({ seq: '3', checkpoint: 1 });
  });

  it('find a checkpoint removed from the series, and one replaced by a validly signed other', () => {
    const files = series();
    expect(readCheckpointSeries([files[0], files[2]], key.publicKey).problems).toEqual([
      expect.stringContaining('is number 3 where number 2 was expected'),
    ]);
    // Re-signing checkpoint 2 with the right key but other content breaks the link from checkpoint 3.
    const forged = signCheckpoint(key.privateKey, {
      number: 2,
      at: '2026-11-02T00:00:00.000Z',
      reason: 'scheduled',
      previousText: files[0].text,
      heads: [head('case-1', 7, 'e')],
    });
    expect(readCheckpointSeries([files[0], { ...files[1], text: forged }, files[2]], key.publicKey).problems).toEqual([
      expect.stringContaining("checkpoint-00000003.json: does not name the previous checkpoint's hash"),
    ]);
  });

  it('refuse checkpoints signed by another key', () => {
    const other = generateKeyPairSync('ed25519');
    const s = readCheckpointSeries(series(other.privateKey), key.publicKey);
    expect(s.checkpoints).toEqual([]);
    expect(s.problems).toHaveLength(3);
    expect(s.problems[0]).toMatch(/signed by key .* not the configured key/);
  });
});
