/**
 * One partition of the embedded event log, append-only. Keys are kept once each; values are
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

export class PartitionLog {
  /** Each offset's key, as an index into `distinctKeys` (-1: no key). */
  private keyOf = new Int32Array(1024);
  private readonly distinctKeys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private count = 0;
  private chunkOf = new Uint32Array(1024);
  private startOf = new Uint32Array(1024);
  private lengthOf = new Int32Array(1024);
  private readonly chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;

  get length(): number {
    return this.count;
  }

  append(message: OutgoingMessage): void {
    const offset = this.count;
    if (offset === this.lengthOf.length) this.grow();
    this.keyOf[offset] = this.indexOfKey(message.key);
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
    const index = this.keyOf[offset];
    return index < 0 ? null : this.distinctKeys[index];
  }

  /** As `at(offset).value`, without the message object (the consumer builds its own). */
  valueAt(offset: number): Buffer | null {
    const length = this.lengthOf[offset];
    if (length === TOMBSTONE) return null;
    const start = this.startOf[offset];
    return this.chunks[this.chunkOf[offset]].subarray(start, start + length);
  }

  /**
   * Keys are kept once each: a partition's messages share a few keys (a customer's events
   * all carry its id), and a string per message was an object per message for the collector.
   */
  private indexOfKey(key: string | null): number {
    if (key === null) return -1;
    let index = this.keyIndex.get(key);
    if (index === undefined) {
      index = this.distinctKeys.push(key) - 1;
      this.keyIndex.set(key, index);
    }
    return index;
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
