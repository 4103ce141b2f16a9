/**
 * Compresses alert documents (`encodeDocument`) on a worker thread. Deflate is a third of an alert's write cost on
 * the event loop, which is the hub's bottleneck, while the machine's other cores mostly wait; a group commit's
 * documents go to the worker as one message and come back as one buffer. Small batches (light load, where the
 * hand-off would cost more latency than it saves) and machines with one core are compressed on the event loop.
 * Should the worker fail, what it held is compressed on the event loop instead and a new worker starts with the
 * next batch: a crash costs time, not alerts.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DOCUMENT_ENCODING, encodeDocument } from './alert-codec.js';

/**
 * The worker's source, evaluated rather than loaded from a file, so it runs alike from the built hub and from the
 * TypeScript sources under test: `encodeDocument` with the codec's format byte and options (a test holds the two
 * to the same bytes).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
const { format, options } = workerData;
parentPort.on('message', ({ batch, jsons }) => {
  const bodies = jsons.map((json) => deflateRawSync(json, options));
  const out = Buffer.allocUnsafe(bodies.reduce((sum, body) => sum + body.length + 1, 0));
  let at = 0;
  for (const body of bodies) {
    out[at] = format;
    body.copy(out, at + 1);
    at += body.length + 1;
  }
  const joined = out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
  parentPort.postMessage({ batch, body: joined, lengths: bodies.map((body) => body.length + 1) }, [joined]);
});
`;

interface Waiting {
  jsons: string[];
  resolve: (documents: Buffer[]) => void;
}

/** Batches smaller than this are compressed on the event loop. */
export const WORKER_MIN_BATCH = 8;

export class DocumentEncoder {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly minBatch = availableParallelism() > 1 ? WORKER_MIN_BATCH : Infinity) {}

  /** The stored documents of `jsons` (each a `documentJson`), in order. */
  encode(jsons: string[]): Promise<Buffer[]> {
    if (jsons.length < this.minBatch) return Promise.resolve(jsons.map((json) => encodeDocument(json)));
    return new Promise((resolve) => {
      const batch = this.next++;
      this.waiting.set(batch, { jsons, resolve });
      this.start().postMessage({ batch, jsons });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.fallBack();
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: DOCUMENT_ENCODING });
    // An idle worker does not keep the process alive.
    worker.unref();
    worker.on('message', ({ batch, body, lengths }: { batch: number; body: ArrayBuffer; lengths: number[] }) => {
      const waiting = this.waiting.get(batch);
      if (!waiting) return;
      this.waiting.delete(batch);
      const joined = Buffer.from(body);
      let at = 0;
      waiting.resolve(lengths.map((length) => joined.subarray(at, (at += length))));
    });
    const lost = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fallBack();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.worker = worker;
    return worker;
  }

  /** Encodes on the event loop whatever the worker still held. */
  private fallBack(): void {
    for (const [batch, { jsons, resolve }] of this.waiting) {
      this.waiting.delete(batch);
      resolve(jsons.map((json) => encodeDocument(json)));
    }
  }
}
