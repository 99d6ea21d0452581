/**
 * The layout version of every state the processors keep (order ledgers, purchase histories,
 * score states). Bump it when a state's shape changes: a store holding another format is
 * rebuilt by replaying the topics, never read through compatibility branches (before 1.0
 * nothing stored needs to outlive a format change).
 *
 * 2: every Redis value carries its write version (`<version>\n<json>`, adapters/redis/fenced-write.ts).
 * 3: purchase histories fold old orders into per-day totals (`compacted`); ledgers keep
 *    [event id, event time] within a dedup window (`seen`, `seenFrom`) and a refund sum.
 * 4: score states' features carry `recent_purchase_days` (the LSTM's bounded history: a
 *    state of format 3 would re-score with an LSTM champion as if the customer had bought
 *    nothing in the last 26 weeks) and the last score's `sequence` and the latest sweep's
 *    as-of (`sweptToMs`); ledgers keep every refund id (`refundIds`).
 * 5: compact values — each state a JSON array by position instead of an object with field
 *    names, without what the key says (customer and order ids), a ledger's emitted detail
 *    stored once, times as distances (processors/state-codecs/*.ts): about a third of the bytes.
 */
export const STATE_FORMAT = 5;
