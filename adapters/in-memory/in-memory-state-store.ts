/**
 * Embedded StateStore: a Map.
 *
 * Without a codec, values are kept as given (processors never mutate state in place, they
 * return new objects), so nothing is copied on the hot path. With one (the Redis store's,
 * processors/state-codecs.ts), each value is kept as its text — one flat string per entry
 * instead of a graph of objects and arrays — except the most recently written few thousand,
 * kept as given and encoded when they make room. A long-running embedded process keeps every
 * ledger, history and score in its heap, and each major garbage collection marks all of them:
 * as objects, that was a pause of hundreds of milliseconds in the event-to-score latency; as
 * text there is next to nothing to mark. The recent ones spare the codec the
 * read-modify-write of a customer whose events come close together (an order and its
 * payment, then the purchase's revisions, then their features): encoding and decoding every
 * access cost a fifth of the embedded pipeline's throughput. See docs/performance.md, "Event-to-score
 * latency and the collector".
 */
import type { Revised, StateCodec, StateStore, WriteOptions } from '../../core/ports/state-store.js';

export interface InMemoryStateStoreOptions {
  /** Most recently written values kept as given before they are encoded; default 4,096. */
  recent?: number;
}

export class InMemoryStateStore<T> implements StateStore<T> {
  /** Values kept as given: all of them without a codec, else the most recently written, oldest first. */
  private readonly objects = new Map<string, T>();
  /** With a codec, the others' text. A key is in one map or the other, never both. */
  private readonly texts = new Map<string, string>();
  private readonly codec: StateCodec<T> | null;
  private readonly recent: number;

  constructor(codec?: StateCodec<T>, options: InMemoryStateStoreOptions = {}) {
    this.codec = codec ?? null;
    this.recent = codec === undefined ? Infinity : options.recent ?? 4_096;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const key of keys) {
      const value = this.read(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  /**
   * The revision is the stored object itself (states are replaced, never changed in place)
   * or the stored text (equal texts are equal states). A value encoded to make room changes
   * its revision, not its state: a reader caching by revision redoes its work once.
   */
  async getManyRevised(keys: readonly string[]): Promise<Map<string, Revised<T>>> {
    const found = new Map<string, Revised<T>>();
    for (const key of keys) {
      const value = this.objects.get(key);
      if (value !== undefined) {
        found.set(key, { revision: value, value: () => value });
        continue;
      }
      const text = this.texts.get(key);
      if (text !== undefined) found.set(key, { revision: text, value: () => this.decoded(text, key) });
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, T>, _options?: WriteOptions): Promise<void> {
    for (const [key, value] of entries) {
      // Deleted first, so the key moves to the newest end of the recent ones.
      this.objects.delete(key);
      this.objects.set(key, value);
      this.texts.delete(key);
    }
    this.makeRoom();
  }

  async *scan(pageSize: number): AsyncIterable<Array<[string, T]>> {
    yield* this.pages(pageSize, null);
  }

  async *scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>> {
    yield* this.pages(pageSize, prefix);
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) if (this.objects.delete(key) || this.texts.delete(key)) deleted++;
    return deleted;
  }

  async size(): Promise<number> {
    return this.objects.size + this.texts.size;
  }

  private read(key: string): T | undefined {
    const value = this.objects.get(key);
    if (value !== undefined) return value;
    const text = this.texts.get(key);
    return text === undefined ? undefined : this.decoded(text, key);
  }

  /** Encodes the oldest values kept as given beyond `recent`. */
  private makeRoom(): void {
    const codec = this.codec;
    if (codec === null) return;
    let excess = this.objects.size - this.recent;
    for (const [key, value] of this.objects) {
      if (excess-- <= 0) break;
      this.texts.set(key, codec.encode(value, key));
      this.objects.delete(key);
    }
  }

  /**
   * The keys as the scan starts, each once with its value when read: a write during the scan
   * moves a key between the maps (and to the end of the recent ones), which would otherwise
   * show it twice or not at all.
   */
  private *pages(pageSize: number, prefix: string | null): Iterable<Array<[string, T]>> {
    const keys = [...this.objects.keys(), ...this.texts.keys()];
    let page: Array<[string, T]> = [];
    for (const key of keys) {
      if (prefix !== null && !key.startsWith(prefix)) continue;
      const value = this.read(key);
      if (value === undefined) continue;
      page.push([key, value]);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  private decoded(text: string, key: string): T {
    return (this.codec as StateCodec<T>).decode(text, key);
  }
}
