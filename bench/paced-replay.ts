/** The paced input of the latency runs. */
import type { DemoMessage } from '../app/demo/demo-history.js';

/**
 * Collects the heap before a latency window, when the bench runs with --expose-gc (the npm
 * scripts pass it): training, re-scoring and the full-speed replay before the window leave
 * up to ~1 GiB of garbage in the embedded stores' heap, and its one full collection costs
 * ~0.5 s of main-thread marking wherever it falls (measured with --trace-gc: 1,154 → 432 MB,
 * 430 ms of marking). Falling inside a 10 s window, it alone set p99 — for any kind — while
 * the window's own traffic, whose garbage is still collected inside the window, never did.
 */
export function collectBeforeWindow(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Publishes at a fixed rate in 10 ms ticks, without waiting for the pipeline. */
export async function pacedReplay(messages: DemoMessage[], rate: number, log: { publish: (t: string, m: { key: string; value: Buffer }[]) => Promise<void> }, codec: { encode: (t: string, v: unknown) => Promise<Buffer> }) {
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const start = performance.now();
  for (let i = 0, tick = 0; i < messages.length; i += perTick, tick++) {
    for (const m of messages.slice(i, i + perTick)) await log.publish(m.topic, [{ key: m.key, value: m.poison ?? (await codec.encode(m.topic, m.value)) }]);
    const due = start + (tick + 1) * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { events: messages.length, seconds: (performance.now() - start) / 1000 };
}
