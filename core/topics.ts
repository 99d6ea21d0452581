/** Topic names and their default layout. Keys are customer_id, except on clv.anomalies.v1 (the metric: it is about the shop). */
export const Topics = {
  orders: 'commerce.orders.v1',
  payments: 'commerce.payments.v1',
  purchases: 'commerce.purchases.v1',
  features: 'clv.features.v1',
  scores: 'clv.scores.v1',
  segmentChanges: 'clv.segment-changes.v1',
  deadLetter: 'clv.dead-letter.v1',
  anomalies: 'clv.anomalies.v1',
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
    // One partition where order across keys matters more than throughput (a few messages a day).
    partitions: name === Topics.deadLetter || name === Topics.anomalies || name === Topics.erasures ? 1 : partitions,
    compacted: name === Topics.scores || name === Topics.features,
  }));
}
