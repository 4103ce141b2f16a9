/** The live alert feed: owns the socket.io connection to the hub, outside React. */
import type { Alert, StreamClientEvents, StreamServerEvents } from '@harrier/alert';
import { io, type Socket } from 'socket.io-client';
import type { QueryParams } from './api-client';

/**
 * `live` once the hub has acknowledged the current filter, so every matching alert from then on is pushed (or,
 * before anything subscribed, once connected);
 * `rejected` while connected with a filter the hub refused (nothing is pushed).
 */
export type StreamStatus = 'connecting' | 'live' | 'rejected' | 'offline';

const ACK_TIMEOUT_MS = 10_000;

export class AlertStream {
  readonly #socket: Socket<StreamServerEvents, StreamClientEvents>;
  readonly #alertListeners = new Set<(alert: Alert) => void>();
  readonly #statusListeners = new Set<(status: StreamStatus) => void>();
  #status: StreamStatus = 'connecting';
  /** Nothing is pushed until someone subscribes. */
  #filter: QueryParams | undefined;
  /** Only the answer to the latest subscribe counts; an older one may arrive after it. */
  #subscription = 0;

  constructor(url?: string) {
    const options = { transports: ['websocket'], autoConnect: false };
    this.#socket = url === undefined ? io(options) : io(url, options);
    this.#socket.on('connect', () => this.#sendSubscribe());
    this.#socket.on('disconnect', (reason) => {
      this.#setStatus('offline');
      // socket.io retries by itself except when the server closed the connection on purpose (e.g. a restart).
      if (reason === 'io server disconnect') this.#socket.connect();
    });
    this.#socket.on('connect_error', () => this.#setStatus('offline'));
    this.#socket.on('alert', (alert) => {
      for (const listener of this.#alertListeners) listener(alert);
    });
  }

  get status(): StreamStatus {
    return this.#status;
  }

  /** Connects, and keeps reconnecting by itself until `disconnect`. */
  connect(): void {
    this.#socket.connect();
  }

  disconnect(): void {
    this.#socket.disconnect();
  }

  /** Asks the hub for alerts matching `filter` (API query parameter names), now and after every reconnect. */
  subscribe(filter: QueryParams): void {
    this.#filter = filter;
    if (this.#socket.connected) this.#sendSubscribe();
  }

  /** Returns the function that removes the listener. */
  onAlert(listener: (alert: Alert) => void): () => void {
    this.#alertListeners.add(listener);
    return () => this.#alertListeners.delete(listener);
  }

  /** Returns the function that removes the listener. */
  onStatus(listener: (status: StreamStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  #sendSubscribe(): void {
    // A view without alerts (e.g. outputs) subscribes to nothing; the connection itself is all there is to be up.
    if (this.#filter === undefined) {
      this.#setStatus('live');
      return;
    }
    const subscription = ++this.#subscription;
    this.#socket.timeout(ACK_TIMEOUT_MS).emit('subscribe', this.#filter, (error, result) => {
      if (subscription !== this.#subscription || !this.#socket.connected) return;
      if (error) {
        // No answer in time: the connection is unusable, so start over and subscribe again on connect.
        this.#socket.disconnect().connect();
        return;
      }
      if (result.ok) {
        this.#setStatus('live');
      } else {
        // The history query is validated the same way and shows the issues; the feed stays quiet meanwhile.
        console.warn('Harrier hub rejected the live filter', result.issues);
        this.#setStatus('rejected');
      }
    });
  }

  #setStatus(status: StreamStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
