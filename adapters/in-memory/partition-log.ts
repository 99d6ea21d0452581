/**
 * One partition of the embedded event log, append-only. Keys stay in an array; values are
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
  private readonly keys: Array<string | null> = [];
  private chunkOf = new Uint32Array(1024);
  private startOf = new Uint32Array(1024);
  private lengthOf = new Int32Array(1024);
  private readonly chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;

  get length(): number {
    return this.keys.length;
  }

  append(message: OutgoingMessage): void {
    const offset = this.keys.length;
    if (offset === this.lengthOf.length) this.grow();
    this.keys.push(message.key);
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
    return { key: this.keys[offset], value: this.valueAt(offset) };
  }

  keyAt(offset: number): string | null {
    return this.keys[offset];
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
    this.chunkOf = grown(this.chunkOf, new Uint32Array(size));
    this.startOf = grown(this.startOf, new Uint32Array(size));
    this.lengthOf = grown(this.lengthOf, new Int32Array(size));
  }
}

function grown<A extends Uint32Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
