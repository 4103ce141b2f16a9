import { createDemoAlert, seededRandom } from '@harrier/sensor';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAlert, documentJson, encodeDocument } from './alert-codec.js';
import { AlertIdGenerator } from './alert-id.js';
import { DocumentEncoder } from './document-encoder.js';

function demoAlerts(count: number) {
  const random = seededRandom(5);
  const ids = new AlertIdGenerator();
  return Array.from({ length: count }, () => {
    const falco = createDemoAlert(random, Date.parse('2026-01-01T00:00:00Z'));
    return { id: ids.next(Date.parse(falco.time)), ...falco };
  });
}

describe('DocumentEncoder (documents compressed on a worker thread)', () => {
  let encoder: DocumentEncoder;
  afterEach(() => encoder.close());

  it('produces exactly the bytes of encodeDocument, per batch and in order, for batches in flight together', async () => {
    encoder = new DocumentEncoder(1);
    const alerts = demoAlerts(300);
    const batches = [alerts.slice(0, 1), alerts.slice(1, 120), alerts.slice(120)];
    const encoded = await Promise.all(batches.map((batch) => encoder.encode(batch.map(documentJson))));
    batches.forEach((batch, b) => {
      expect(encoded[b]).toHaveLength(batch.length);
      batch.forEach((alert, i) => {
        expect(encoded[b]![i]!.equals(encodeDocument(documentJson(alert)))).toBe(true);
        expect(decodeAlert(alert.id, encoded[b]![i]!)).toEqual(alert);
      });
    });
  });

  it('still answers every batch when its worker dies, and starts a new one for the next', async () => {
    encoder = new DocumentEncoder(1);
    const alerts = demoAlerts(2_000);
    await encoder.encode([documentJson(alerts[0]!)]);
    const worker = (encoder as unknown as { worker: { terminate(): Promise<number> } }).worker;
    // A large batch is still being compressed when the worker is killed.
    const pending = encoder.encode(alerts.map(documentJson));
    await worker.terminate();
    const documents = await pending;
    expect(documents.map((doc, i) => decodeAlert(alerts[i]!.id, doc))).toEqual(alerts);
    const next = await encoder.encode([documentJson(alerts[1]!)]);
    expect(decodeAlert(alerts[1]!.id, next[0]!)).toEqual(alerts[1]);
    expect((encoder as unknown as { worker: unknown }).worker).not.toBe(worker);
  });

  it('compresses batches below its minimum on the event loop, starting no worker', async () => {
    encoder = new DocumentEncoder(8);
    const alerts = demoAlerts(7);
    const documents = await encoder.encode(alerts.map(documentJson));
    expect(documents.map((doc, i) => decodeAlert(alerts[i]!.id, doc))).toEqual(alerts);
    expect((encoder as unknown as { worker: unknown }).worker).toBeUndefined();
  });
});
