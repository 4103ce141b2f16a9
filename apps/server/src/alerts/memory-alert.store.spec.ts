import { describeAlertStoreContract } from './alert-store.contract.js';
import { MemoryDeliveryQueue } from '../outputs/delivery/memory-delivery.queue.js';
import { MemoryAlertStore } from './memory-alert.store.js';

describeAlertStoreContract(
  'MemoryAlertStore',
  () => Promise.resolve(new MemoryAlertStore(500, new MemoryDeliveryQueue())),
  500,
);
