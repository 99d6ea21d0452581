/**
 * The run without faults that the faulty one must equal: the same processors and analytics
 * sink on the embedded default (app/embedded.ts: in-process log, state stores and analyst
 * tables), with the settings the `clv run` processes get, fed the same slices in the same
 * order. After each slice it is drained and snapshotted.
 */
import { createLogger } from '../../../app/logger.js';
import { embeddedPipeline } from '../../../app/embedded.js';
import { loadConfig } from '../../../config/config.js';
import type { ClickHouseSink } from '../../../consumers/clickhouse-sink/clickhouse-sink.js';
import { publishMessages, type ProducerMessage } from '../../../producers/publish-messages.js';
import { snapshotOfEmbedded, type Snapshot } from './stack-snapshot.js';

export class FaultFreeRun {
  private constructor(
    private readonly embedded: ReturnType<typeof embeddedPipeline>,
    private readonly sink: ClickHouseSink,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<FaultFreeRun> {
    const config = loadConfig(env);
    const embedded = embeddedPipeline(config, createLogger('warn'));
    await embedded.pipeline.start();
    const sink = await embedded.startSink();
    return new FaultFreeRun(embedded, sink);
  }

  /** Streams `messages`, waits until every processor and the sink are done, snapshots. */
  async feed(messages: readonly ProducerMessage[]): Promise<Snapshot> {
    await publishMessages(this.embedded.log, this.embedded.codec, messages);
    await this.embedded.pipeline.waitUntilIdle();
    await this.sink.waitUntilIdle();
    return snapshotOfEmbedded(this.embedded.pipeline.stores, this.embedded.analytics);
  }

  async stop(): Promise<void> {
    await this.sink.stop();
    await this.embedded.pipeline.stop();
  }
}
