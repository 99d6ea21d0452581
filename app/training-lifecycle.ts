/**
 * Wiring shared by `clv train`, `clv models` and `clv run training`: the model runs table
 * (ClickHouse) and swapping the champion a pipeline scores with, followed by a re-score.
 */
import { ClickHouseAnalyticsStore } from '../adapters/clickhouse/clickhouse-analytics-store.js';
import { clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import type { Config } from '../config/config.js';
import type { ModelRegistry } from '../core/ports/model-registry.js';
import type { Pipeline, RescoreSummary } from '../processors/pipeline.js';
import { loadRegisteredModel } from '../models/kinds/model-kinds.js';
import { progress } from './progress.js';

/** The analytics store that keeps the model runs (migrations applied). */
export function openModelRuns(config: Readonly<Config>): Promise<ClickHouseAnalyticsStore> {
  return ClickHouseAnalyticsStore.open({ ...clickhouseConnection(config), database: config.clickhouseDatabase, cluster: config.clickhouseCluster });
}

/**
 * Loads `version` into the pipeline and re-scores every customer with it, as of `asOfMs` or,
 * when absent, each customer's own last as-of (a model swap that does not move time).
 */
export async function deployAndRescore(registry: ModelRegistry, pipeline: Pipeline, version: string, asOfMs?: number): Promise<RescoreSummary> {
  pipeline.useModel(await loadRegisteredModel(registry, version));
  const bar = progress('re-scoring customers', await pipeline.stores.scores.size());
  try {
    return await pipeline.rescore({ asOfMs, onProgress: (p) => bar.update(p.scanned) });
  } finally {
    bar.stop();
  }
}

