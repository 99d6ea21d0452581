/**
 * The smallest keyed processor for tests of the runner's plumbing (fencing, transport): it
 * appends each event's id to its key's state and emits nothing; events travel as JSON.
 */
import type { EventCodec } from '../../../core/ports/event-codec.js';
import type { KeyedProcessor } from '../../../processors/keyed-processor.js';

export const jsonCodec: EventCodec = {
  encode: async (_t, value) => Buffer.from(JSON.stringify(value)),
  decode: async (_t, bytes) => JSON.parse(bytes.toString()),
};

export type Seen = { events: string[] };

export function appendProcessor(name: string, topic: string): KeyedProcessor<Seen, { key: string; id: string }> {
  return {
    name,
    inputTopics: [topic],
    accept: (_t, value) => ({ event: value as { key: string; id: string } }),
    eventTime: () => 0,
    stateKey: (e) => e.key,
    apply: (state, e) => ({ state: { events: [...(state?.events ?? []), e.id] }, outputs: [] }),
  };
}
