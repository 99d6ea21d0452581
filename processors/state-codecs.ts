/**
 * The codec of each processor's state, for stores that keep text (Redis): what
 * app/redis-state-stores.ts pairs with each namespace. The layouts are state format
 * STATE_FORMAT (processors/state-format.ts); a change to any of them is a format change.
 */
import type { StateCodec } from '../core/ports/state-store.js';
import type { CustomerPurchaseHistory } from './features/customer-purchase-history.js';
import type { OrderLedger } from './purchases/purchase-joiner.js';
import type { CustomerScoreState } from './scoring/customer-scorer.js';
import { orderLedgerCodec } from './state-codecs/order-ledger-codec.js';
import { purchaseHistoryCodec } from './state-codecs/purchase-history-codec.js';
import { scoreStateCodec } from './state-codecs/score-state-codec.js';

export interface ProcessorStateCodecs {
  ledgers: StateCodec<OrderLedger>;
  histories: StateCodec<CustomerPurchaseHistory>;
  scores: StateCodec<CustomerScoreState>;
}

export const processorStateCodecs: Readonly<ProcessorStateCodecs> = Object.freeze({
  ledgers: orderLedgerCodec,
  histories: purchaseHistoryCodec,
  scores: scoreStateCodec,
});
