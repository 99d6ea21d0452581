import { InMemoryModelRegistry } from '../adapters/in-memory/in-memory-model-registry.js';
import { modelRegistryContract } from './support/model-registry-contract.js';

modelRegistryContract('in-memory registry', async () => new InMemoryModelRegistry());
