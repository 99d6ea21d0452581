/**
 * The webhook bridge: for tools that cannot read Kafka, POSTs segment changes and CLV updates
 * to configured URLs as signed JSON (see docs/webhooks.md for the wire format).
 *
 * One consumer group per endpoint (`clv-webhooks-<name>`), so a slow or failing endpoint
 * holds back only its own deliveries. Per log batch: decode → filter → split into requests of
 * `maxBatchEvents` → deliver each in order (retries with backoff) → dead-letter the ones given
 * up on → resolve, which commits. At-least-once: offsets move only after every request of the
 * batch was acknowledged (2xx) or durably dead-lettered; a batch that fails mid-way (stop,
 * crash, dead-letter write error) is redelivered whole, and its already-delivered requests
 * arrive again with the same Idempotency-Key.
 *
 * Requests of one partition go out one at a time, in log order, so one customer's updates
 * arrive in order unless one is dead-lettered.
 *
 * Membership: a batch's deliveries, with their retries and backoff, can take far longer than
 * the group's session timeout (8 attempts with backoff up to a minute against a receiver
 * answering 5xx). They run inside the log's keepAlive, which heartbeats meanwhile, so the
 * member is not evicted mid-delivery (its commit refused, the same batch back every cycle).
 * If the member loses the partition anyway (a rebalance, or no heartbeat acknowledged in time)
 * delivery stops at once and the batch is left uncommitted for the partition's next owner.
 *
 * Undecodable messages are skipped and counted, as in the analytics sink: the processors
 * already dead-letter bad input, and the bytes mean nothing to a webhook receiver.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ClvScoreEvent, SegmentChangedEvent } from '../../core/events.js';
import { DECODE_NEEDS_IO, type EventCodec } from '../../core/ports/event-codec.js';
import type { BatchControl, EventLog, MessageBatch, RunningConsumer } from '../../core/ports/event-log.js';
import { buildRequests, matchesFilter, type WebhookEvent, type WebhookRequest } from './webhook-batch.js';
import type { WebhookEndpoint, WebhookTopic } from '../../config/webhook-config.js';
import type { WebhookDeadLetter, WebhookDeadLetterRecord } from './webhook-dead-letter.js';
import { deliverWebhook, type AttemptFailure, type DeliveryHooks } from './webhook-delivery.js';

/** The consumer group of one endpoint. */
export function webhookGroupId(endpointName: string): string {
  return `clv-webhooks-${endpointName}`;
}

export interface WebhookBridgeDeps {
  log: EventLog;
  codec: EventCodec;
  deadLetter: WebhookDeadLetter;
  hooks?: WebhookBridgeHooks;
}

export interface WebhookBridgeHooks extends Pick<DeliveryHooks, 'sleep' | 'random' | 'nowMs' | 'fetch'> {
  onRetry?: (endpoint: string, failure: AttemptFailure, attempt: number, delayMs: number) => void;
  onDelivered?: (endpoint: string, request: WebhookRequest, attempts: number) => void;
  onDeadLetter?: (record: WebhookDeadLetterRecord) => void;
}

export interface WebhookBridgeOptions {
  /** Messages per log batch (default 1,000); a batch becomes ⌈matching / maxBatchEvents⌉ requests. */
  maxMessagesPerBatch?: number;
}

export interface WebhookEndpointStats {
  /** Messages read, matching or not (redelivered ones count again). */
  messages: number;
  /** Messages the filter dropped. */
  filtered: number;
  undecodable: number;
  /** Requests acknowledged with 2xx, and their events. */
  requests: number;
  events: number;
  retries: number;
  deadLetteredRequests: number;
  deadLetteredEvents: number;
}

export class WebhookBridge {
  readonly stats: Readonly<Record<string, WebhookEndpointStats>>;
  private consumers: RunningConsumer[] = [];
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: WebhookBridgeDeps,
    private readonly endpoints: readonly WebhookEndpoint[],
    private readonly options: WebhookBridgeOptions = {},
  ) {
    this.stats = Object.fromEntries(endpoints.map((e) => [e.name, {
      messages: 0, filtered: 0, undecodable: 0, requests: 0, events: 0, retries: 0, deadLetteredRequests: 0, deadLetteredEvents: 0,
    }]));
  }

  /** One group per endpoint, with the topics it reads: whose lag says how far each endpoint is behind. */
  get lagSources(): Array<{ group: string; topics: readonly string[] }> {
    return this.endpoints.map((e) => ({ group: webhookGroupId(e.name), topics: e.topics }));
  }

  async start(): Promise<void> {
    for (const endpoint of this.endpoints) {
      this.consumers.push(await this.deps.log.consume({
        groupId: webhookGroupId(endpoint.name),
        topics: [...endpoint.topics],
        fromBeginning: endpoint.fromBeginning,
        maxBatchSize: this.options.maxMessagesPerBatch ?? 1_000,
        eachBatch: (batch, control) => this.handleBatch(endpoint, batch, control),
      }));
    }
  }

  /**
   * Abandons requests in flight or backing off (their batches stay uncommitted and are
   * redelivered on the next start) and leaves the groups. A stopped bridge is not started
   * again: make a new one.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.consumers.map((c) => c.stop()));
    this.consumers = [];
  }

  /** One log batch of one endpoint; resolves once every request is acknowledged or dead-lettered. Public for tests. */
  async handleBatch(endpoint: WebhookEndpoint, batch: MessageBatch, control: BatchControl = untracked): Promise<void> {
    const stats = this.stats[endpoint.name];
    const events: WebhookEvent[] = [];
    const offsets: string[] = [];
    const { codec } = this.deps;
    for (const message of batch.messages) {
      stats.messages++;
      // A tombstone (an erased customer) is no event a receiver could use.
      if (message.value === null) continue;
      let data: ClvScoreEvent | SegmentChangedEvent;
      try {
        // The synchronous path when the codec can take it: no promise per message.
        let value = codec.decodeSync ? codec.decodeSync(message.topic, message.value) : DECODE_NEEDS_IO;
        if (value === DECODE_NEEDS_IO) value = await codec.decode(message.topic, message.value);
        data = value as ClvScoreEvent | SegmentChangedEvent;
      } catch (error) {
        // Only bad bytes are skipped; a codec that cannot reach its registry must retry.
        if (!(error instanceof ClvError) || error.code !== ErrorCodes.UNDECODABLE) throw error;
        stats.undecodable++;
        continue;
      }
      if (!matchesFilter(endpoint.filter, data)) {
        stats.filtered++;
        continue;
      }
      events.push({ id: data.event_id, topic: message.topic as WebhookTopic, data });
      offsets.push(message.offset);
    }
    const requests = buildRequests(events, offsets, batch.partition, endpoint.maxBatchEvents);
    if (requests.length === 0) return;
    await control.keepAlive(async (lost) => {
      const stop = AbortSignal.any([this.stopping.signal, lost]);
      for (const request of requests) await this.deliver(endpoint, request, stop);
    });
  }

  private async deliver(endpoint: WebhookEndpoint, request: WebhookRequest, stop: AbortSignal): Promise<void> {
    const stats = this.stats[endpoint.name];
    const { hooks = {} } = this.deps;
    const result = await deliverWebhook(request, endpoint, {
      sleep: hooks.sleep, random: hooks.random, nowMs: hooks.nowMs, fetch: hooks.fetch,
      onRetry: (failure, attempt, delayMs) => {
        stats.retries++;
        hooks.onRetry?.(endpoint.name, failure, attempt, delayMs);
      },
    }, stop);
    if (result.delivered) {
      stats.requests++;
      stats.events += request.eventIds.length;
      hooks.onDelivered?.(endpoint.name, request, result.attempts);
      return;
    }
    const record: WebhookDeadLetterRecord = {
      dead_lettered_at: new Date((hooks.nowMs ?? Date.now)()).toISOString(),
      endpoint: endpoint.name,
      url: endpoint.url,
      source: request.source,
      idempotency_key: request.idempotencyKey,
      attempts: result.attempts,
      status: result.failure.status,
      reason: result.failure.reason,
      response_snippet: result.failure.responseSnippet,
      events: request.events,
    };
    try {
      await this.deps.deadLetter.write(record);
    } catch (cause) {
      // Not committing is the only safe answer: the log redelivers the batch.
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `webhook ${endpoint.name}: cannot write the dead-letter record (${(cause as Error).message})`, { retriable: true, cause });
    }
    stats.deadLetteredRequests++;
    stats.deadLetteredEvents += request.eventIds.length;
    hooks.onDeadLetter?.(record);
  }
}

/** The control of a batch handed in directly (tests): nothing to keep alive. */
const untracked: BatchControl = { assignment: 0, keepAlive: (work) => work(new AbortController().signal) };
