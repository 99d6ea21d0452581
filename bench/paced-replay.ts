/** The paced input of the latency runs. */
import type { DemoMessage } from '../app/demo/demo-history.js';

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
