import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { stateStoreContract } from './support/state-store-contract.js';

// Every store is its own namespace.
stateStoreContract('in-memory state store', () => new InMemoryStateStore());
