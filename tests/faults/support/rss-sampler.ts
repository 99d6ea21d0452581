/**
 * Peak memory of the processes under test: VmRSS of each labelled pid read from /proc every
 * 200 ms, the maximum kept per label until `take` hands it over and starts again (one window
 * per fault), and VmHWM (the kernel's own peak) whenever a pid is read.
 */
import { readFileSync } from 'node:fs';

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // gone
  }
}

export class RssSampler {
  private readonly pids = new Map<number, string>();
  private peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 200) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Watches `pid` under `label` (several pids may share one: the peak is the largest). */
  watch(label: string, pid: number | null | undefined): void {
    if (pid) this.pids.set(pid, label);
  }

  sample(): void {
    for (const [pid, label] of this.pids) {
      const kb = Math.max(statusKb(pid, 'VmRSS') ?? 0, statusKb(pid, 'VmHWM') ?? 0);
      if (kb === 0) {
        this.pids.delete(pid);
        continue;
      }
      // VmHWM is the process's own lifetime peak: it also catches what happened between samples.
      this.peaks.set(label, Math.max(this.peaks.get(label) ?? 0, kb));
    }
  }

  /** Peak per label (MB) since the last take; starts a new window. */
  take(): Map<string, number> {
    this.sample();
    const out = new Map([...this.peaks].map(([l, kb]) => [l, Math.round(kb / 1024)]));
    this.peaks = new Map();
    return out;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
