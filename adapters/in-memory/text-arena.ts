/**
 * Texts kept outside the JavaScript heap: UTF-8 bytes in large chunks, each text a numbered
 * slot. The embedded state stores keep every ledger, history and score here. As strings in
 * the heap, every state written lived long enough to be promoted, so at 5,000 events/s the old
 * generation grew by megabytes a second and a major collection fell every few seconds, each a
 * burst of event-to-score latency (docs/performance.md, "Event-to-score latency and the
 * collector"). Here a text is a short-lived string only while it is read or written.
 *
 * Replacing or removing a text leaves its old bytes dead in their chunk. Once dead bytes
 * outweigh live ones, each write compacts one chunk, the one with the fewest live bytes: its
 * live texts are copied to the chunk being filled and it is reused. A step moves at most a
 * chunk's bytes, so no write waits for the whole arena.
 */

/** Bytes per chunk; a longer text gets a chunk of its own. */
const CHUNK_BYTES = 4 << 20;

/** At most this many UTF-8 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/** Compaction waits until dead bytes are this many chunks at least (and more than the live ones). */
const COMPACT_AFTER_DEAD_CHUNKS = 2;

/** chunkOf value of a slot that holds nothing. */
const EMPTY = -1;

export class TextArena {
  private readonly chunks: Array<Buffer | null> = [];
  /** Per chunk: bytes written into it, and bytes of its texts still held. */
  private readonly filled: number[] = [];
  private readonly live: number[] = [];
  private current = EMPTY;
  private readonly spare: Buffer[] = [];
  private totalFilled = 0;
  private totalLive = 0;

  private chunkOf = new Int32Array(1024).fill(EMPTY);
  private startOf = new Uint32Array(1024);
  private lengthOf = new Uint32Array(1024);
  /** Per slot: the number of the write that put its text there (see `stampOf`). */
  private stamps = new Float64Array(1024);
  private slotsUsed = 0;
  private readonly freeSlots: number[] = [];
  private writes = 0;

  /** Keeps `text`; returns its slot. */
  add(text: string): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.newSlot();
    this.place(slot, text);
    return slot;
  }

  replace(slot: number, text: string): void {
    this.release(slot);
    this.place(slot, text);
  }

  remove(slot: number): void {
    this.release(slot);
    this.chunkOf[slot] = EMPTY;
    this.freeSlots.push(slot);
  }

  read(slot: number): string {
    const start = this.startOf[slot];
    return this.chunks[this.chunkOf[slot]]!.toString('utf8', start, start + this.lengthOf[slot]);
  }

  /** Which write put the slot's text there: differs after each `add` or `replace`, not when compaction moves the text. */
  stampOf(slot: number): number {
    return this.stamps[slot];
  }

  /** One step of compaction if dead bytes call for it; returns whether a chunk was freed. */
  compactStep(): boolean {
    const dead = this.totalFilled - this.totalLive;
    if (dead < COMPACT_AFTER_DEAD_CHUNKS * CHUNK_BYTES || dead <= this.totalLive) return false;
    let victim = EMPTY;
    for (let c = 0; c < this.chunks.length; c++) {
      if (c === this.current || this.chunks[c] === null) continue;
      if (victim === EMPTY || this.live[c] * this.chunks[victim]!.length < this.live[victim] * this.chunks[c]!.length) victim = c;
    }
    // More than half live: moving it would free too little for the copying.
    if (victim === EMPTY || 2 * this.live[victim] > this.chunks[victim]!.length) return false;
    const from = this.chunks[victim]!;
    for (let slot = 0; slot < this.slotsUsed; slot++) {
      if (this.chunkOf[slot] !== victim) continue;
      const start = this.startOf[slot];
      const length = this.lengthOf[slot];
      this.reserve(length);
      from.copy(this.chunks[this.current]!, this.filled[this.current], start, start + length);
      this.record(slot, length);
    }
    this.totalFilled -= this.filled[victim];
    this.totalLive -= this.live[victim];
    if (from.length === CHUNK_BYTES) this.spare.push(from);
    this.chunks[victim] = null;
    this.filled[victim] = 0;
    this.live[victim] = 0;
    return true;
  }

  /** Bytes of the texts held, and bytes of the chunks that hold them (for tests and figures). */
  get bytes(): { live: number; allocated: number } {
    let allocated = 0;
    for (const chunk of this.chunks) allocated += chunk?.length ?? 0;
    return { live: this.totalLive, allocated };
  }

  private place(slot: number, text: string): void {
    const most = text.length * MAX_BYTES_PER_UNIT;
    this.reserve(most);
    const chunk = this.chunks[this.current]!;
    const start = this.filled[this.current];
    this.record(slot, chunk.write(text, start, most, 'utf8'));
    this.stamps[slot] = ++this.writes;
  }

  /** The text of `slot`, `length` bytes, was just written at the fill mark of the current chunk. */
  private record(slot: number, length: number): void {
    const c = this.current;
    this.chunkOf[slot] = c;
    this.startOf[slot] = this.filled[c];
    this.lengthOf[slot] = length;
    this.filled[c] += length;
    this.live[c] += length;
    this.totalFilled += length;
    this.totalLive += length;
  }

  private release(slot: number): void {
    const c = this.chunkOf[slot];
    this.live[c] -= this.lengthOf[slot];
    this.totalLive -= this.lengthOf[slot];
  }

  /** Makes the current chunk one with at least `bytes` free. */
  private reserve(bytes: number): void {
    if (this.current !== EMPTY && this.chunks[this.current]!.length - this.filled[this.current] >= bytes) return;
    const chunk = bytes <= CHUNK_BYTES ? (this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES)) : Buffer.allocUnsafeSlow(bytes);
    let c = this.chunks.indexOf(null);
    if (c === EMPTY) {
      c = this.chunks.push(chunk) - 1;
      this.filled.push(0);
      this.live.push(0);
    } else {
      this.chunks[c] = chunk;
    }
    this.current = c;
  }

  private newSlot(): number {
    if (this.slotsUsed === this.chunkOf.length) {
      const size = this.chunkOf.length * 2;
      const chunkOf = new Int32Array(size).fill(EMPTY);
      chunkOf.set(this.chunkOf);
      this.chunkOf = chunkOf;
      this.startOf = grown(this.startOf, new Uint32Array(size));
      this.lengthOf = grown(this.lengthOf, new Uint32Array(size));
      this.stamps = grown(this.stamps, new Float64Array(size));
    }
    return this.slotsUsed++;
  }
}

function grown<A extends Uint32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
