/** The paced input of the latency runs. */
import type { OutgoingMessage } from '../core/ports/event-log.js';
import type { EncodedMessages } from './encoded-messages.js';

/** Publishes messages [from, to) at a fixed rate in 10 ms ticks, one publish each, without waiting for the pipeline. */
export async function pacedReplay(messages: EncodedMessages, from: number, to: number, rate: number, log: { publish: (t: string, m: OutgoingMessage[]) => Promise<void> }) {
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const start = performance.now();
  for (let i = from, tick = 0; i < to; i += perTick, tick++) {
    for (let j = i; j < Math.min(to, i + perTick); j++) await log.publish(messages.topicAt(j), [messages.at(j)]);
    const due = start + (tick + 1) * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { events: to - from, seconds: (performance.now() - start) / 1000 };
}
