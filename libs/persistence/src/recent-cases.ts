/**
 * The cases this process wrote most recently, so that the next event on one of them can skip the
 * read. Never trusted for correctness: the write still succeeds only if the case in the database has
 * the version and chain head remembered here, and a refused or failed attempt reads the database
 * again. Bounded in count and in bytes (`size`: the snapshot's JSON length, held about twice; a case
 * with a very large record is not kept); the least recently written case is forgotten first.
 */
export class RecentCases<T extends { size: number }> {
  private readonly entries = new Map<string, T>();
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number,
  ) {}

  get(id: string): T | undefined {
    return this.entries.get(id);
  }

  set(id: string, entry: T): void {
    this.forget(id);
    if (entry.size * 2 > this.maxBytes / 64) return;
    this.entries.set(id, entry);
    this.bytes += entry.size * 2;
    while (this.entries.size > this.capacity || this.bytes > this.maxBytes) this.forget(this.entries.keys().next().value!);
  }

  forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.bytes -= entry.size * 2;
  }
}
