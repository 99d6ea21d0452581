/**
 * V8 settings for a process that streams events through the embedded pipeline, whose
 * event-to-score latency is set by when major garbage collections fall (docs/performance.md,
 * "Event-to-score latency and the collector"). Both flags are read as the heap runs, so
 * setting them at start-up takes effect; both are process-wide, as the embedded mode is.
 *
 * - No allocation-site pretenuring. V8 allocates straight into the old generation at the
 *   sites whose objects have mostly survived scavenges. A replay at full speed (big batches,
 *   every decoded state alive until its batch is written) teaches it that of the decoding
 *   sites, and the decision stays once the stream is live, when the same objects die within
 *   milliseconds: they filled the old generation at ~10 MB/s at 5,000 events/s and a major
 *   collection fell every few seconds. Measured on the kinds bench's pipeline: 57–97 MB
 *   promoted in its 10-second paced window with pretenuring, 5 MB without, and scavenges
 *   taking half the time.
 * - The old generation may grow to twice what the last major collection kept. V8's own
 *   factor was ~1.15 on this heap (a collection at 49 MB after one that kept 43 MB): three
 *   or four collections in the 10-second window. The live heap is small (~45–100 MB: states
 *   and the log are outside it), so doubling it costs little.
 */
import v8 from 'node:v8';

export function tuneHeapForStreaming(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
  v8.setFlagsFromString('--heap-growing-percent=100');
}
