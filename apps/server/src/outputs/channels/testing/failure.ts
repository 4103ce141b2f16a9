import { DeliveryFailure } from '../output-channel.js';

/** The DeliveryFailure a send rejects with; throws if it resolved or failed with anything else. */
export async function failureOf(sending: Promise<unknown>): Promise<DeliveryFailure> {
  try {
    await sending;
  } catch (error) {
    if (error instanceof DeliveryFailure) return error;
    throw new Error(`expected a DeliveryFailure, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the send to fail, but it succeeded');
}

export const noSignal = (): { signal: AbortSignal } => ({ signal: new AbortController().signal });
