/**
 * Turns off V8's allocation-site pretenuring for this process. V8 allocates straight into the
 * old generation at the sites whose objects have mostly survived scavenges. A replay at full
 * speed (big batches, every decoded state alive until its batch is written) teaches it that
 * of the codecs' decoding sites, and the decision stays once the stream is live, when the
 * same objects die within milliseconds: every decoded history and score then filled the old
 * generation (~10 MB/s at 5,000 events/s, ~2 KB per event) and a major collection fell every
 * few seconds. Measured on the kinds bench's pipeline (docs/performance.md, "Event-to-score
 * latency and the collector"): 57–97 MB promoted in its 10-second paced window with it, 5 MB
 * without, and scavenges taking half the time. The flag is read as objects are allocated, so
 * setting it at start-up takes effect; it is process-wide, as the embedded mode is.
 */
import v8 from 'node:v8';

export function turnOffPretenuring(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
