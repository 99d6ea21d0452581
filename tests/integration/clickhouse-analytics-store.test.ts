import { analyticsStoreContract } from '../support/analytics-store-contract.js';
import { openTestDatabase } from './clickhouse-test-database.js';

analyticsStoreContract('ClickHouse analytics store', () => openTestDatabase('clv_contract'));
