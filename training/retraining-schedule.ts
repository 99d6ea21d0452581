/**
 * `clv run training`: retrains every `retrainIntervalMs` and, more often, sweeps decay every
 * `sweepIntervalMs`. The jobs never overlap (a sweep waits for a retrain in flight and vice
 * versa: both re-score the same customers), and a failed job is reported and retried at its
 * next tick — a thin month must not stop the sweeps. `clock` is what the jobs are handed as
 * "now"; the jobs of `clv run training` and the demo read the data time themselves
 * (processors/decay-sweep.ts), so a replay of old history decays as of its own time.
 */
export interface RetrainingJobs {
  /** Trains, and when promoted re-scores everyone. */
  retrain(nowMs: number): Promise<unknown>;
  /** Re-scores the customers whose score is older than the sweep's as-of. */
  sweep(nowMs: number): Promise<unknown>;
}

export interface RetrainingScheduleOptions {
  retrainIntervalMs: number;
  sweepIntervalMs: number;
  clock: () => number;
  onError: (job: 'retrain' | 'sweep', error: unknown) => void;
}

export class RetrainingSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Jobs queued or running: a tick of a job already waiting is dropped, so slow jobs do not pile up. */
  private readonly pending = new Map<'retrain' | 'sweep', Promise<void>>();

  constructor(private readonly jobs: RetrainingJobs, private readonly options: RetrainingScheduleOptions) {}

  start(): void {
    this.timers.push(setInterval(() => void this.run('retrain'), this.options.retrainIntervalMs));
    this.timers.push(setInterval(() => void this.run('sweep'), this.options.sweepIntervalMs));
  }

  /** Runs one job now, after whatever job is in flight; resolves when it is done. */
  run(job: 'retrain' | 'sweep'): Promise<void> {
    const queued = this.pending.get(job);
    if (queued) return queued;
    const next = this.running.then(async () => {
      try {
        if (!this.stopped) await this.jobs[job](this.options.clock());
      } catch (error) {
        this.options.onError(job, error);
      } finally {
        this.pending.delete(job);
      }
    });
    this.pending.set(job, next);
    this.running = next;
    return next;
  }

  /** No new job starts; resolves when the one in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.running;
  }
}
