import { describeAuthStoreContract } from './auth-store.contract.js';
import { MemoryAuthStore } from './memory-auth.store.js';

describeAuthStoreContract('MemoryAuthStore', () => Promise.resolve(new MemoryAuthStore()));
