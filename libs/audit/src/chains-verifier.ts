import { ChainWalker, type AuditEntry, type ChainCheck } from './audit-chain';

/** A case and the head hash its row keeps. */
export interface CaseHead {
  caseId: string;
  headHash: string | null;
}

/** The verdict on one chain: a case's (caseId) or the system chain (caseId null). */
export interface ChainResult extends ChainCheck {
  caseId: string | null;
}

export interface ChainsSummary {
  valid: boolean;
  /** Chains verified (cases, plus the system chain when it was included). */
  chains: number;
  /** Entries read. */
  checked: number;
  brokenChains: number;
  /** The lowest seq among the first broken entries of the broken chains. */
  firstBrokenSeq?: string;
}

/**
 * Something that reads a case's chain beside the verifier (the replay check of the case row): it
 * hears each entry in seq order, then the head row, or null when the entries name no existing case.
 */
export interface ChainFollower<H extends CaseHead> {
  add(e: AuditEntry): void;
  finish(head: H | null): void | Promise<void>;
}

const ORPHAN = 'entries name a case that does not exist (its row was removed, or their caseId was edited)';

/**
 * Verifies many case chains at once by merging two streams sorted the same way by case id: the case
 * heads, and the case entries ordered by (caseId, seq). Memory stays constant whatever the size of
 * the history; `onChain` hears every chain's verdict as soon as it is known.
 */
export async function verifyCaseChains<H extends CaseHead>(
  heads: AsyncIterable<H>,
  entries: AsyncIterable<AuditEntry>,
  onChain: (result: ChainResult) => void | Promise<void>,
  follow?: (caseId: string) => ChainFollower<H>,
): Promise<ChainsSummary> {
  const summary = new SummaryBuilder();
  const hi = heads[Symbol.asyncIterator]();
  const ei = entries[Symbol.asyncIterator]();
  const nextHead = async () => {
    const r = await hi.next();
    return r.done ? null : r.value;
  };
  const nextEntry = async () => {
    const r = await ei.next();
    return r.done ? null : r.value;
  };
  let h = await nextHead();
  let e = await nextEntry();
  while (h || e) {
    const chainId = !e ? h!.caseId : !h ? e.caseId! : e.caseId! < h.caseId ? e.caseId! : h.caseId;
    const walker = new ChainWalker();
    const follower = follow?.(chainId);
    let firstSeq: string | undefined;
    while (e && e.caseId === chainId) {
      firstSeq ??= e.seq;
      walker.add(e);
      follower?.add(e);
      e = await nextEntry();
    }
    let result: ChainResult;
    if (h && h.caseId === chainId) {
      result = { caseId: chainId, ...walker.finish(h.headHash) };
      await follower?.finish(h);
      h = await nextHead();
    } else {
      result = { caseId: chainId, valid: false, checked: walker.checked, firstBrokenSeq: firstSeq, problem: ORPHAN };
      await follower?.finish(null);
    }
    summary.add(result);
    await onChain(result);
  }
  return summary.build();
}

/** Verifies one chain from a stream of its entries in seq order. */
export async function verifyChainStream(
  caseId: string | null,
  entries: AsyncIterable<AuditEntry>,
  head: string | null,
): Promise<ChainResult> {
  const walker = new ChainWalker();
  for await (const e of entries) if (!walker.add(e)) break;
  return { caseId, ...walker.finish(head) };
}

/** Adds up chain verdicts into one summary. */
export class SummaryBuilder {
  private chains = 0;
  private checked = 0;
  private broken = 0;
  private firstBroken: bigint | null = null;

  add(r: ChainResult): void {
    this.chains++;
    this.checked += r.checked;
    if (r.valid) return;
    this.broken++;
    if (r.firstBrokenSeq !== undefined) {
      const seq = BigInt(r.firstBrokenSeq);
      if (this.firstBroken === null || seq < this.firstBroken) this.firstBroken = seq;
    }
  }

  merge(s: ChainsSummary): void {
    this.chains += s.chains;
    this.checked += s.checked;
    this.broken += s.brokenChains;
    if (s.firstBrokenSeq !== undefined) {
      const seq = BigInt(s.firstBrokenSeq);
      if (this.firstBroken === null || seq < this.firstBroken) this.firstBroken = seq;
    }
  }

  build(): ChainsSummary {
    return {
      valid: this.broken === 0,
      chains: this.chains,
      checked: this.checked,
      brokenChains: this.broken,
      ...(this.firstBroken !== null ? { firstBrokenSeq: this.firstBroken.toString() } : {}),
    };
  }
}
