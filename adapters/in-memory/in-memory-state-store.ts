/**
 * Embedded StateStore.
 *
 * Without a codec, values are kept as given in a Map (processors never mutate state in place,
 * they return new objects), so nothing is copied: for tests and tools. With one (the Redis
 * store's, processors/state-codecs.ts), as the embedded pipeline runs, each value is kept as
 * its text in a TextArena, outside the JavaScript heap. A long-running embedded process keeps
 * every ledger, history and score: as objects, each major garbage collection marked all of
 * them (p99 at 5,000 events/s ~600 ms); as strings in the heap there was nothing inside them
 * to mark, but every state written was promoted, and a major collection came every few
 * seconds (docs/performance.md, "Event-to-score latency and the collector").
 */
import type { Revised, StateCodec, StateStore, WriteOptions } from '../../core/ports/state-store.js';
import { TextArena } from './text-arena.js';

/** Where the store keeps its values. */
interface Shelf<T> {
  get(key: string): T | undefined;
  revised(key: string): Revised<T> | undefined;
  setAll(entries: ReadonlyMap<string, T>): void;
  delete(key: string): boolean;
  keys(): Iterable<string>;
  readonly size: number;
}

/** Values as given. The revision is the value itself: states are replaced, never changed in place. */
class ObjectShelf<T> implements Shelf<T> {
  private readonly values = new Map<string, T>();

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  revised(key: string): Revised<T> | undefined {
    if (!this.values.has(key)) return undefined;
    const value = this.values.get(key) as T;
    return { revision: value, value: () => value };
  }

  setAll(entries: ReadonlyMap<string, T>): void {
    for (const [key, value] of entries) this.values.set(key, value);
  }

  delete(key: string): boolean {
    return this.values.delete(key);
  }

  keys(): Iterable<string> {
    return this.values.keys();
  }

  get size(): number {
    return this.values.size;
  }
}

/** Values as their codec's text in an arena. The revision is the number of the write that stored the text. */
class TextShelf<T> implements Shelf<T> {
  private readonly slots = new Map<string, number>();
  private readonly arena = new TextArena();

  constructor(private readonly codec: StateCodec<T>) {}

  get(key: string): T | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.codec.decode(this.arena.read(slot), key);
  }

  revised(key: string): Revised<T> | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    // Read now: the slot may hold another text by the time value() is called.
    const text = this.arena.read(slot);
    return { revision: this.arena.stampOf(slot), value: () => this.codec.decode(text, key) };
  }

  setAll(entries: ReadonlyMap<string, T>): void {
    for (const [key, value] of entries) {
      const text = this.codec.encode(value, key);
      const slot = this.slots.get(key);
      if (slot === undefined) this.slots.set(key, this.arena.add(text));
      else this.arena.replace(slot, text);
    }
    this.arena.compactStep();
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.arena.remove(slot);
    return true;
  }

  keys(): Iterable<string> {
    return this.slots.keys();
  }

  get size(): number {
    return this.slots.size;
  }
}

export class InMemoryStateStore<T> implements StateStore<T> {
  private readonly shelf: Shelf<T>;

  constructor(codec?: StateCodec<T>) {
    this.shelf = codec === undefined ? new ObjectShelf<T>() : new TextShelf(codec);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const key of keys) {
      const value = this.shelf.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  async getManyRevised(keys: readonly string[]): Promise<Map<string, Revised<T>>> {
    const found = new Map<string, Revised<T>>();
    for (const key of keys) {
      const revised = this.shelf.revised(key);
      if (revised !== undefined) found.set(key, revised);
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, T>, _options?: WriteOptions): Promise<void> {
    this.shelf.setAll(entries);
  }

  async *scan(pageSize: number): AsyncIterable<Array<[string, T]>> {
    yield* this.pages(pageSize, null);
  }

  async *scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>> {
    yield* this.pages(pageSize, prefix);
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) if (this.shelf.delete(key)) deleted++;
    return deleted;
  }

  async size(): Promise<number> {
    return this.shelf.size;
  }

  private *pages(pageSize: number, prefix: string | null): Iterable<Array<[string, T]>> {
    let page: Array<[string, T]> = [];
    for (const key of this.shelf.keys()) {
      if (prefix !== null && !key.startsWith(prefix)) continue;
      const value = this.shelf.get(key);
      if (value === undefined) continue;
      page.push([key, value]);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
}
