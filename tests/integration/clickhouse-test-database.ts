/**
 * Run-scoped ClickHouse databases for the integration suite: each store opens its own
 * database (migrated), and `close` drops it. If ClickHouse is not reachable the tests fail
 * with a message that says how to start it; they never skip.
 */
import { ClickHouseAnalyticsStore } from '../../adapters/clickhouse/clickhouse-analytics-store.js';
import { ClickHouseConnection } from '../../adapters/clickhouse/clickhouse-connection.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import type { AnalyticsStoreHarness } from '../support/analytics-store-contract.js';
import { runScoped, services } from './support/services.js';

let sequence = 0;

export interface TestDatabase extends AnalyticsStoreHarness {
  store: ClickHouseAnalyticsStore;
  database: string;
}

export async function openTestDatabase(name = 'clv_test'): Promise<TestDatabase> {
  const database = runScoped(`${name}_${sequence++}`);
  let store: ClickHouseAnalyticsStore;
  try {
    store = await ClickHouseAnalyticsStore.open({ url: services.clickhouseUrl, database, cluster: services.clickhouseCluster });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `ClickHouse integration tests need a server at ${services.clickhouseUrl} (CLV_CLICKHOUSE_URL): ` +
        `start one with \`bash scripts/services/up.sh clickhouse\`. ${reason}`,
      { cause: error },
    );
  }
  return {
    store,
    database,
    readAll: (table) => store.readAll(table),
    close: async () => {
      try {
        await store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`);
        // Sharded (CLV_CLICKHOUSE_CLUSTER): every shard has the database.
        for (const url of services.clickhouseCluster?.shardUrls ?? []) {
          const shard = await ClickHouseConnection.connect({ url });
          await shard.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`).finally(() => shard.close());
        }
      } finally {
        await store.close();
      }
    },
  };
}
