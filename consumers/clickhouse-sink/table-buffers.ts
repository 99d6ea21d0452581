/**
 * Per-table row buffers between the sink's batches and the store. ClickHouse wants few,
 * large inserts (10k–100k rows, about one per second per table), while the sink may commit
 * a batch only after its rows are written. So a batch's rows join the table's buffer and
 * the batch awaits the write that covers them; a table's buffer is written
 *   - at once when it holds `maxRows` rows,
 *   - otherwise at most once per `maxDelayMs`: at once if the previous write of that table
 *     started longer ago than that (an idle table does not make its first rows wait), else
 *     by a timer when that interval has passed;
 *   - at once while draining (shutdown).
 * Writes of one table never overlap, and a write sends at most `maxRows` rows per call.
 * If a write fails, every batch waiting on it is rejected (it will be redelivered).
 */
import type { AnalyticsTable } from '../../core/ports/analytics-store.js';

export interface TableBuffersOptions {
  maxRows: number;
  maxDelayMs: number;
  /** Writes rows of one table (retries are the writer's business). */
  write: (table: AnalyticsTable, rows: object[]) => Promise<void>;
  now?: () => number;
}

interface Pending {
  rows: object[];
  written: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface TableState {
  pending: Pending | null;
  writing: boolean;
  lastWriteAt: number;
  timer: NodeJS.Timeout | null;
}

export class TableBuffers {
  private readonly tables = new Map<AnalyticsTable, TableState>();
  private draining = false;

  constructor(private readonly options: TableBuffersOptions) {}

  /** Buffers rows; resolves when all of them are written, rejects if a write of any failed. */
  add(rowsByTable: ReadonlyMap<AnalyticsTable, readonly object[]>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [table, rows] of rowsByTable) {
      if (rows.length === 0) continue;
      const state = this.stateOf(table);
      const pending = (state.pending ??= newPending());
      for (const row of rows) pending.rows.push(row);
      waits.push(pending.written);
      this.schedule(table, state);
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Rows buffered and not yet handed to a write, per table. */
  bufferedRows(): number {
    let n = 0;
    for (const state of this.tables.values()) n += state.pending?.rows.length ?? 0;
    return n;
  }

  /** Writes everything buffered now and every later add at once; resolves when the buffers are written. */
  async drain(): Promise<void> {
    this.draining = true;
    const waits: Promise<unknown>[] = [];
    for (const [table, state] of this.tables) {
      if (state.pending) waits.push(state.pending.written.catch(() => undefined));
      this.schedule(table, state);
    }
    await Promise.all(waits);
  }

  private stateOf(table: AnalyticsTable): TableState {
    let state = this.tables.get(table);
    if (!state) this.tables.set(table, (state = { pending: null, writing: false, lastWriteAt: -Infinity, timer: null }));
    return state;
  }

  private schedule(table: AnalyticsTable, state: TableState): void {
    if (state.writing || !state.pending) return;
    const now = (this.options.now ?? Date.now)();
    const due = state.lastWriteAt + this.options.maxDelayMs;
    if (this.draining || state.pending.rows.length >= this.options.maxRows || now >= due) {
      void this.write(table, state);
    } else if (!state.timer) {
      state.timer = setTimeout(() => {
        state.timer = null;
        this.schedule(table, state);
      }, due - now);
    }
  }

  private async write(table: AnalyticsTable, state: TableState): Promise<void> {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    const pending = state.pending as Pending;
    state.pending = null;
    state.writing = true;
    state.lastWriteAt = (this.options.now ?? Date.now)();
    const { maxRows } = this.options;
    try {
      for (let i = 0; i < pending.rows.length; i += maxRows) await this.options.write(table, pending.rows.slice(i, i + maxRows));
      pending.resolve();
    } catch (error) {
      pending.reject(error);
    } finally {
      state.writing = false;
      this.schedule(table, state);
    }
  }
}

function newPending(): Pending {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const written = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { rows: [], written, resolve, reject };
}
