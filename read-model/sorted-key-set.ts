/**
 * A set of strings kept in ascending order (JavaScript `<`, i.e. UTF-16 code units), with
 * O(log n + B) insert, delete and "next k keys after x": the segment index pages customers
 * with it while scoring keeps moving them between segments.
 *
 * Why blocks: one sorted array makes every insert an O(n) memmove (a million customers,
 * ten thousand score updates a second: seconds of copying per second); a balanced tree is a
 * lot of code for this. A list of sorted blocks of at most MAX_BLOCK keys (as Python's
 * sortedcontainers) keeps each move to one block and the block list short (n / 512 to
 * n / 1024 entries).
 */

const MAX_BLOCK = 1024;

/** First index in `a` whose value is ≥ `key` (or > `key` when `strict`). */
function bound(a: readonly string[], key: string, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < key || (strict && a[mid] === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedKeySet {
  private blocks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was already there. */
  add(key: string): boolean {
    if (this.blocks.length === 0) {
      this.blocks.push([key]);
      this.count = 1;
      return true;
    }
    const b = Math.min(this.blockAtLeast(key, false), this.blocks.length - 1);
    const block = this.blocks[b];
    const i = bound(block, key, false);
    if (block[i] === key) return false;
    block.splice(i, 0, key);
    this.count++;
    if (block.length > MAX_BLOCK) this.blocks.splice(b, 1, block.slice(0, block.length >>> 1), block.slice(block.length >>> 1));
    return true;
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string): boolean {
    const b = this.blockAtLeast(key, false);
    if (b === this.blocks.length) return false;
    const block = this.blocks[b];
    const i = bound(block, key, false);
    if (block[i] !== key) return false;
    block.splice(i, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(b, 1);
    return true;
  }

  /** Up to `limit` keys greater than `after` (from the smallest when null), ascending. */
  after(after: string | null, limit: number): string[] {
    const out: string[] = [];
    let b = after === null ? 0 : this.blockAtLeast(after, true);
    let i = after === null || b === this.blocks.length ? 0 : bound(this.blocks[b], after, true);
    for (; b < this.blocks.length && out.length < limit; b++, i = 0) {
      const block = this.blocks[b];
      for (; i < block.length && out.length < limit; i++) out.push(block[i]);
    }
    return out;
  }

  /** Index of the first block whose last key is ≥ `key` (> when `strict`); blocks.length if none. */
  private blockAtLeast(key: string, strict: boolean): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const last = this.blocks[mid][this.blocks[mid].length - 1];
      if (last < key || (strict && last === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
