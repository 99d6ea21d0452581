/**
 * From decoded events to webhook requests: filtering, splitting into POSTs of at most
 * `maxBatchEvents`, the JSON body and the idempotency key. Pure: no I/O, no clock.
 *
 * The Idempotency-Key is a hash of the events' topics and ids in body order, so a batch the
 * log redelivers, or a request retried after a timeout, carries the same key; a receiver can
 * also recompute it from the (signed) body instead of trusting the unsigned header.
 */
import { createHash } from 'node:crypto';
import type { ClvScoreEvent, SegmentChangedEvent } from '../../core/events.js';
import type { WebhookFilter, WebhookTopic } from '../../config/webhook-config.js';

/** One element of the body's `events` array. */
export interface WebhookEvent {
  /** The event's event_id: unique per topic, stable across redeliveries. */
  id: string;
  topic: WebhookTopic;
  /** The event as on the topic (Avro field names, times in epoch ms, money in minor units). */
  data: ClvScoreEvent | SegmentChangedEvent;
}

/** Where the events came from: for the dead-letter record and logs. */
export interface WebhookBatchSource {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
}

export interface WebhookRequest {
  /** `{"events":[…]}`, serialised once so that every attempt signs and sends the same bytes. */
  body: string;
  /** The body's events. */
  events: WebhookEvent[];
  idempotencyKey: string;
  eventIds: string[];
  source: WebhookBatchSource;
}

export function matchesFilter(filter: WebhookFilter | null, event: WebhookEvent['data']): boolean {
  if (filter === null) return true;
  if (filter.segments !== null && !(filter.segments as readonly string[]).includes(event.segment)) return false;
  if (filter.actions !== null && !(filter.actions as readonly string[]).includes(event.action)) return false;
  return true;
}

/** sha256 hex of the lines "<topic>:<id>" joined by "\n", in body order. */
export function idempotencyKey(events: ReadonlyArray<Pick<WebhookEvent, 'id' | 'topic'>>): string {
  const hash = createHash('sha256');
  events.forEach((e, i) => hash.update(i === 0 ? `${e.topic}:${e.id}` : `\n${e.topic}:${e.id}`));
  return hash.digest('hex');
}

/**
 * X-Clv-Event-Ids: the ids comma-separated, each with "%", ",", and bytes outside visible
 * ASCII percent-encoded (UTF-8), so that any id makes a valid header and
 * `decodeURIComponent` restores it. The ids this pipeline makes need no encoding.
 */
export function eventIdsHeader(ids: readonly string[]): string {
  return ids.map(encodeId).join(',');
}

function encodeId(id: string): string {
  if (/^[\x21-\x24\x26-\x2b\x2d-\x7e]*$/.test(id)) return id;
  let out = '';
  for (const ch of id) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0x21 && code <= 0x7e && ch !== '%' && ch !== ',') out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Splits one log batch's matching events into requests of at most `maxBatchEvents`, in log
 * order. `offsets[i]` is the log offset of `events[i]`.
 */
export function buildRequests(events: readonly WebhookEvent[], offsets: readonly string[], partition: number, maxBatchEvents: number): WebhookRequest[] {
  const requests: WebhookRequest[] = [];
  for (let start = 0; start < events.length; start += maxBatchEvents) {
    const chunk = events.slice(start, start + maxBatchEvents);
    const end = start + chunk.length - 1;
    requests.push({
      body: JSON.stringify({ events: chunk }),
      events: chunk,
      idempotencyKey: idempotencyKey(chunk),
      eventIds: chunk.map((e) => e.id),
      source: { topic: chunk[0].topic, partition, firstOffset: offsets[start], lastOffset: offsets[end] },
    });
  }
  return requests;
}
