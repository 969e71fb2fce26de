import { createMemoryStore } from '../../../server/src/store/memoryStore';
import { describeStoreContract } from './storeContract';

describeStoreContract('memory store', async (clock) => ({ store: createMemoryStore({ clock }), dispose: async () => {} }));
