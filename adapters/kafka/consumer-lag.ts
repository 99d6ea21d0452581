/**
 * A consumer group's lag from what the broker reports: committed offsets (OffsetFetch) and
 * each partition's log start and end (ListOffsets). Offsets are 64-bit, hence BigInt.
 */

export interface PartitionEnds {
  partition: number;
  /** Log start offset: the first offset still on the broker. */
  low: string;
  /** High watermark: the offset the next message will get. */
  high: string;
}

export interface CommittedOffset {
  partition: number;
  /** "-1" when the group has never committed for this partition. */
  offset: string;
}

/**
 * Messages between the group's position and the end of each partition, summed.
 * A partition with no commit counts from `low`, as a group with no offset would start there
 * with fromBeginning; a commit below `low` (the messages were deleted by retention) also counts
 * from `low`, because nothing below it can still be consumed.
 */
export function consumerLag(committed: readonly CommittedOffset[], ends: readonly PartitionEnds[]): bigint {
  const byPartition = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  let lag = 0n;
  for (const { partition, low, high } of ends) {
    const start = BigInt(low);
    const end = BigInt(high);
    const position = byPartition.get(partition) ?? -1n;
    const from = position < start ? start : position;
    if (end > from) lag += end - from;
  }
  return lag;
}
