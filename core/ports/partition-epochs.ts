/**
 * Fencing epochs: numbers that grow every time a consumer group's partition changes hands,
 * shared by every instance of the group. Implemented on Redis (adapters/redis/redis-partition-epochs.ts);
 * the embedded default, one process, needs none.
 *
 * A processor instance takes an epoch when it is assigned a partition (the first batch of
 * each hold, see BatchControl.assignment) and writes that partition's state with it as the
 * write version (ports/state-store.ts). An instance that stalled past its session timeout
 * still holds its old, lower epoch, so once the new owner has saved a key the stalled
 * instance's late save of it is refused instead of overwriting newer state.
 *
 * Contract: `take(group)` returns a number greater than every number it returned before for
 * that group, to any instance. One sequence per group, not per partition: epochs of
 * different partitions then stay comparable, so a key that moves to another partition (the
 * topics were given more partitions) is not fenced out by its old partition's higher epoch.
 */
export interface PartitionEpochs {
  take(group: string): Promise<number>;
}
