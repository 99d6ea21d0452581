/**
 * How a broker may deliver a stream: the events shuffled (by `noise`, a fast-check
 * infinite stream) and some of them delivered twice (at positions from `dupes`). For the
 * property tests that order and duplicates never change a result.
 */
export function shuffledWithDuplicates<T>(events: readonly T[], noise: Iterator<number>, dupes: readonly number[]): T[] {
  const shuffled = [...events];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = noise.next().value % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  for (const d of dupes) shuffled.splice(d % (shuffled.length + 1), 0, shuffled[d % shuffled.length]);
  return shuffled;
}
