/**
 * The embedded event log: topics with partitions, per-group committed offsets, at-least-once
 * delivery, replay from any offset. Behaves like Kafka through the EventLog port, in one
 * process, with nothing to install.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ConsumerOptions, EventLog, IncomingMessage, OutgoingMessage, PublishOptions, RunningConsumer, TopicMessages } from '../../core/ports/event-log.js';
import type { TopicSpec } from '../../core/topics.js';
import { partitionFor } from '../kafka/murmur2-partitioner.js';
import { KeyPool, PartitionLog } from './partition-log.js';

interface Group {
  committed: Map<string, number>;
  members: Member[];
  generation: number;
}

interface Member {
  id: number;
  options: ConsumerOptions;
  /** topic/partition → next offset to deliver. */
  positions: Map<string, number>;
  generation: number;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** BatchControl.keepAlive in one process: no session to lose, so the work simply runs. */
const runToEnd = <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => work(new AbortController().signal);

export interface InMemoryEventLogOptions {
  /** Called when `eachBatch` throws; the batch is then redelivered after a backoff. */
  onBatchError?: (error: unknown, context: { groupId: string; topic: string; partition: number }) => void;
  maxBackoffMs?: number;
}

export class InMemoryEventLog implements EventLog {
  private readonly topics = new Map<string, PartitionLog[]>();
  /** One pool for every partition's keys (partition-log.ts). */
  private readonly keys = new KeyPool();
  private readonly groups = new Map<string, Group>();
  private waiters: Array<() => void> = [];
  private nextMemberId = 1;
  private closed = false;

  constructor(private readonly options: InMemoryEventLogOptions = {}) {}

  async createTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if (!this.topics.has(spec.name)) this.topics.set(spec.name, Array.from({ length: spec.partitions }, () => new PartitionLog(this.keys)));
    }
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const partitions = this.partitionsOf(topic);
    for (const m of messages) partitions[partitionFor(m.key, partitions.length)].append(m);
    this.wake();
  }

  /** All or nothing: every topic is checked before any message is appended. */
  async publishAll(batches: TopicMessages[], options: PublishOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'publish deadline passed before the messages were sent: nothing was published', { retriable: true });
    const targets = batches.map((b) => this.partitionsOf(b.topic));
    batches.forEach((b, i) => {
      for (const m of b.messages) targets[i][partitionFor(m.key, targets[i].length)].append(m);
    });
    this.wake();
  }

  /** Every message of a topic in partition order: for reports and tests. */
  read(topic: string): IncomingMessage[] {
    return this.partitionsOf(topic).flatMap((log, partition) =>
      Array.from({ length: log.length }, (_, offset) => ({ ...log.at(offset), topic, partition, offset: String(offset) })),
    );
  }

  async checkWritable(topic: string): Promise<void> {
    this.partitionsOf(topic);
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    const committed = this.groups.get(groupId)?.committed;
    let lag = 0;
    for (const topic of topics) {
      this.partitionsOf(topic).forEach((messages, p) => {
        lag += messages.length - (committed?.get(tp(topic, p)) ?? 0);
      });
    }
    return lag;
  }

  /** Moves a group's committed offset, e.g. to replay a partition from the start. */
  seek(groupId: string, topic: string, partition: number, offset: number): void {
    const group = this.groupOf(groupId);
    group.committed.set(tp(topic, partition), offset);
    this.rebalance(group);
  }

  async consume(options: ConsumerOptions): Promise<RunningConsumer> {
    for (const topic of options.topics) this.partitionsOf(topic);
    const group = this.groupOf(options.groupId);
    const member: Member = { id: this.nextMemberId++, options, positions: new Map(), generation: -1 };
    group.members.push(member);
    this.rebalance(group);
    let stopping = false;
    const loop = this.runMember(group, member, () => stopping);
    return {
      stop: async () => {
        stopping = true;
        this.wake();
        await loop;
        group.members = group.members.filter((m) => m !== member);
        this.rebalance(group);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
  }

  private async runMember(group: Group, member: Member, stopping: () => boolean): Promise<void> {
    const max = member.options.maxBatchSize ?? 1000;
    const maxBackoffMs = this.options.maxBackoffMs ?? 1000;
    let backoffMs = 10;
    while (!stopping() && !this.closed) {
      const batch = this.nextBatch(member, max);
      if (batch === null) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      const generation = member.generation;
      try {
        // The group's generation numbers the member's hold: it changes at every rebalance.
        await member.options.eachBatch(batch, { assignment: generation, keepAlive: runToEnd });
        backoffMs = 10;
        // A member that lost the partition in a rebalance meanwhile must not commit for it.
        if (member.generation === generation) {
          const next = Number(batch.messages[batch.messages.length - 1].offset) + 1;
          group.committed.set(tp(batch.topic, batch.partition), next);
          member.positions.set(tp(batch.topic, batch.partition), next);
        }
      } catch (error) {
        this.options.onBatchError?.(error, { groupId: member.options.groupId, topic: batch.topic, partition: batch.partition });
        member.positions.set(tp(batch.topic, batch.partition), group.committed.get(tp(batch.topic, batch.partition)) ?? 0);
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
      }
      // Let timers and I/O run between batches: a busy consumer must not starve the process.
      await yieldToEventLoop();
    }
  }

  private nextBatch(member: Member, max: number) {
    for (const [key, position] of member.positions) {
      const [topic, p] = key.split('\u0000');
      const partition = Number(p);
      const log = this.partitionsOf(topic)[partition];
      if (position >= log.length) continue;
      const end = Math.min(log.length, position + max);
      const messages: IncomingMessage[] = [];
      for (let offset = position; offset < end; offset++) {
        messages.push({ key: log.keyAt(offset), value: log.valueAt(offset), topic, partition, offset: String(offset) });
      }
      // Rotate so that partitions are served fairly.
      member.positions.delete(key);
      member.positions.set(key, end);
      return { topic, partition, messages };
    }
    return null;
  }

  /** Range assignment of every partition of the group's topics over its members. */
  private rebalance(group: Group): void {
    group.generation++;
    const members = group.members;
    members.forEach((m) => {
      m.positions.clear();
      m.generation = group.generation;
    });
    if (members.length === 0) return;
    const topics = [...new Set(members.flatMap((m) => m.options.topics))].sort();
    let i = 0;
    for (const topic of topics) {
      const partitions = this.partitionsOf(topic);
      partitions.forEach((messages, partition) => {
        const subscribed = members.filter((m) => m.options.topics.includes(topic));
        const member = subscribed[i++ % subscribed.length];
        const key = tp(topic, partition);
        if (!group.committed.has(key)) group.committed.set(key, member.options.fromBeginning ? 0 : messages.length);
        member.positions.set(key, group.committed.get(key) as number);
      });
    }
    this.wake();
  }

  private groupOf(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { committed: new Map(), members: [], generation: 0 };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private partitionsOf(topic: string): PartitionLog[] {
    const partitions = this.topics.get(topic);
    if (!partitions) throw new Error(`unknown topic ${topic}`);
    return partitions;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
