/** Topic names and their default layout. Keys are always customer_id. */
export const Topics = {
  orders: 'commerce.orders.v1',
  payments: 'commerce.payments.v1',
  purchases: 'commerce.purchases.v1',
  features: 'clv.features.v1',
  scores: 'clv.scores.v1',
  segmentChanges: 'clv.segment-changes.v1',
  deadLetter: 'clv.dead-letter.v1',
  erasures: 'clv.erasures.v1',
} as const;

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Log compaction keeps only the latest value per key (Kafka cleanup.policy=compact). */
  compacted: boolean;
}

export function topicSpecs(partitions: number): TopicSpec[] {
  return Object.values(Topics).map((name) => ({
    name,
    // Low-volume operational topics: one partition keeps them in order.
    partitions: name === Topics.deadLetter || name === Topics.erasures ? 1 : partitions,
    compacted: name === Topics.scores || name === Topics.features,
  }));
}
