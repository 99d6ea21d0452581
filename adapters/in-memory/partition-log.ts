/**
 * One partition of the embedded event log, append-only. Keys are numbers in a pool; values are
 * copied into large byte chunks, with each offset's place in typed arrays, and a message is
 * a view made when it is read. The log keeps every message for the process's life, and kept
 * as one object and one Buffer each they were most of what every major garbage collection
 * had to mark: a pause of hundreds of milliseconds in the event-to-score latency (see
 * docs/performance.md, "Event-to-score latency and the collector"). Packed, a million
 * messages are a handful of chunks.
 */
import type { OutgoingMessage } from '../../core/ports/event-log.js';

/** Bytes per chunk; a larger value gets a chunk of its own. */
const CHUNK_BYTES = 1 << 20;

/** Length recorded for a tombstone (a null value). */
const TOMBSTONE = -1;

/**
 * Keys kept once each, by number. A log's messages share few keys (a customer's events on
 * every topic carry its id), and a string per message was an object per message for the
 * collector; the partitions of one log share a pool.
 */
export class KeyPool {
  private readonly keys: string[] = [];
  private readonly numbers = new Map<string, number>();

  numberOf(key: string): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.keys.push(key) - 1;
      this.numbers.set(key, n);
    }
    return n;
  }

  keyOf(n: number): string {
    return this.keys[n];
  }
}

export class PartitionLog {
  /** Each offset's key, as its number in the pool (-1: no key). */
  private keyOf = new Int32Array(1024);
  private count = 0;
  private chunkOf = new Uint32Array(1024);
  private startOf = new Uint32Array(1024);
  private lengthOf = new Int32Array(1024);
  private readonly chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;

  constructor(private readonly keys = new KeyPool()) {}

  get length(): number {
    return this.count;
  }

  append(message: OutgoingMessage): void {
    const offset = this.count;
    if (offset === this.lengthOf.length) this.grow();
    this.keyOf[offset] = message.key === null ? -1 : this.keys.numberOf(message.key);
    this.count++;
    const value = message.value;
    if (value === null) {
      this.lengthOf[offset] = TOMBSTONE;
      return;
    }
    if (this.chunks.length === 0 || value.length > CHUNK_BYTES - this.used) {
      this.chunks.push(Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, value.length)));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    value.copy(this.chunks[chunk], this.used);
    this.chunkOf[offset] = chunk;
    this.startOf[offset] = this.used;
    this.lengthOf[offset] = value.length;
    this.used += value.length;
  }

  /** The message at `offset` (0 ≤ offset < length); its value is a view of the log's bytes, not to be written to. */
  at(offset: number): OutgoingMessage {
    return { key: this.keyAt(offset), value: this.valueAt(offset) };
  }

  keyAt(offset: number): string | null {
    const n = this.keyOf[offset];
    return n < 0 ? null : this.keys.keyOf(n);
  }

  /** As `at(offset).value`, without the message object (the consumer builds its own). */
  valueAt(offset: number): Buffer | null {
    const length = this.lengthOf[offset];
    if (length === TOMBSTONE) return null;
    const start = this.startOf[offset];
    return this.chunks[this.chunkOf[offset]].subarray(start, start + length);
  }

  private grow(): void {
    const size = this.lengthOf.length * 2;
    this.keyOf = grown(this.keyOf, new Int32Array(size));
    this.chunkOf = grown(this.chunkOf, new Uint32Array(size));
    this.startOf = grown(this.startOf, new Uint32Array(size));
    this.lengthOf = grown(this.lengthOf, new Int32Array(size));
  }
}

function grown<A extends Uint32Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
