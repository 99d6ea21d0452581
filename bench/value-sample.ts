/**
 * A uniform sample of at most `capacity` values from a stream of any length (reservoir
 * sampling, Vitter's algorithm R), with a seeded generator so that a run is reproducible.
 *
 * The stack bench's bare hops publish the pipeline's own output bytes. Keeping every value
 * the pipeline published (up to 100,000 per topic) held hundreds of thousands of small
 * buffers in the pipeline's heap while it was measured: each survived the young generation
 * and was copied and promoted, work charged to the pipeline that it never does in
 * production. A sample of a few thousand has the same distribution of sizes and contents.
 */
export class ValueSample {
  readonly values: Buffer[] = [];
  private seen = 0;
  private bytesSeen = 0;
  private state: number;

  constructor(
    private readonly capacity: number,
    seed = 1,
  ) {
    this.state = seed >>> 0 || 1;
  }

  offer(value: Buffer): void {
    this.seen++;
    this.bytesSeen += value.length;
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.values[slot] = value;
  }

  /** Values offered, and the mean size of those offered and of those kept: the sample's bytes should match the stream's. */
  get figures(): { offered: number; meanBytesOffered: number | null; kept: number; meanBytesKept: number | null } {
    const kept = this.values.reduce((sum, v) => sum + v.length, 0);
    return {
      offered: this.seen,
      meanBytesOffered: this.seen === 0 ? null : this.bytesSeen / this.seen,
      kept: this.values.length,
      meanBytesKept: this.values.length === 0 ? null : kept / this.values.length,
    };
  }

  /** xorshift32, in [0, 1). */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x / 4294967296;
  }
}
