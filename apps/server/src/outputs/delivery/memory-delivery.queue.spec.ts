import { MemoryAlertStore } from '../../alerts/memory-alert.store.js';
import { describeDeliveryQueueContract } from './delivery-queue.contract.js';
import { MemoryDeliveryQueue } from './memory-delivery.queue.js';

describeDeliveryQueueContract('MemoryDeliveryQueue', () => {
  const queue = new MemoryDeliveryQueue();
  const store = new MemoryAlertStore(1000, queue);
  return Promise.resolve({ queue, store, close: () => queue.close() });
});
