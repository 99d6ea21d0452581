/** The pipeline's three state stores in memory, each state kept as the object given (no codec): the benches' stores without Redis or text. */
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { PipelineStores } from '../processors/pipeline.js';
import type { OrderLedger } from '../processors/purchases/purchase-joiner.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';

export function objectStateStores(): PipelineStores {
  return { ledgers: new InMemoryStateStore<OrderLedger>(), histories: new InMemoryStateStore<CustomerPurchaseHistory>(), scores: new InMemoryStateStore<CustomerScoreState>() };
}
