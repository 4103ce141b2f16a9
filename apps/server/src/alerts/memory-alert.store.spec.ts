import { describeAlertStoreContract } from './alert-store.contract.js';
import { MemoryAlertStore } from './memory-alert.store.js';

describeAlertStoreContract('MemoryAlertStore', () => Promise.resolve(new MemoryAlertStore(500)), 500);
