/**
 * Live alerts over socket.io. A dashboard emits `subscribe` with the same filter parameters as the API and from
 * then on receives `alert` for each stored alert that matches; nothing before it subscribes. With Redis, every
 * replica hears every alert (a server-side event through the Redis Streams adapter) and pushes it to its own
 * matching sockets, so a dashboard on replica B sees an alert posted to replica A. A session logged out or a token
 * revoked on one replica closes its sockets on the others at once the same way (`credentialEnded`).
 */
import {
  matchesFilter,
  parseAlertQuery,
  type Alert,
  type AlertFilter,
  type StreamClientEvents,
  type StreamServerEvents,
  type SubscribeAck,
} from '@harrier/alert';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { ALERT_INGESTED, AlertIngested } from '../alerts/alert.events.js';
import { SESSION_ENDED, SessionEnded, TOKEN_REVOKED, TokenRevoked } from '../auth/auth.events.js';
import { SocketAuthenticator } from '../auth/socket-authenticator.js';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { attachRedisAdapter } from '../redis/socket-adapter.js';

interface SocketData {
  filter?: AlertFilter;
  /** Packets waiting for the client to read earlier ones (engine.io's write buffer). */
  backlog: number;
}

/**
 * A client this many alerts behind (it stopped reading: a frozen tab, a slow link) is dropped rather than buffered
 * without limit; its dashboard reconnects when it can and refetches what it missed.
 */
export const MAX_SOCKET_BACKLOG = 1_000;

interface ReplicaEvents {
  /**
   * The alerts one replica stored in one turn of its event loop, in one message, as a JSON array in UTF-8 bytes: the
   * adapter's msgpack, in JavaScript, copies bytes far faster than it encodes the alerts' objects (or counts a
   * string's UTF-8 length), and each replica also decodes its own messages (Redis pub/sub echoes them) before the
   * adapter drops them. Not `alerts` (an array), so that a replica of an older version, during a rolling update,
   * ignores the event rather than misreading it.
   */
  alertsJson: (alerts: Uint8Array) => void;
  /** A session (by the store's key of it) or an API token (by id) ended on the sending replica. */
  credentialEnded: (kind: 'session' | 'token', key: string) => void;
}

type AlertServer = Server<StreamClientEvents, StreamServerEvents, ReplicaEvents, SocketData>;
type AlertSocket = Socket<StreamClientEvents, StreamServerEvents, ReplicaEvents, SocketData>;

@WebSocketGateway({ cors: false })
export class AlertsGateway implements OnGatewayInit, OnApplicationShutdown {
  private readonly logger = new Logger(AlertsGateway.name);

  @WebSocketServer()
  private readonly server!: AlertServer;

  /** The adapter's connection, with Redis only. */
  private redis: Redis | undefined;
  private closing = false;
  /** Alerts to send to the other replicas at the end of this turn of the event loop. */
  private outgoing: Alert[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    private readonly sockets: SocketAuthenticator,
  ) {}

  afterInit(server: AlertServer): void {
    server.on('connection', (socket) => {
      this.sockets.track(socket);
      socket.data.backlog = 0;
      socket.conn.on('packetCreate', () => socket.data.backlog++);
      socket.conn.on('flush', () => (socket.data.backlog = 0));
    });
    server.use(this.sockets.middleware);
    const { store } = this.config;
    if (store.kind !== 'redis') return;
    this.redis = attachRedisAdapter(server, store, store.keyPrefix);
    server.on('alertsJson', (alerts) => {
      for (const alert of JSON.parse(Buffer.from(alerts).toString()) as Alert[]) this.push(alert);
    });
    server.on('credentialEnded', (kind, key) => {
      if (typeof key !== 'string') return;
      if (kind === 'session') this.sockets.sessionEnded(new SessionEnded(key));
      else if (kind === 'token') this.sockets.tokenRevoked(new TokenRevoked(key));
    });
  }

  /** After the HTTP server has closed, so the alerts of requests in flight at the stop reach the other replicas. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const redis = this.redis;
    if (!redis) return;
    // QUIT lets the replies in flight arrive; a Redis that is down would hold it, so it gets a second at most.
    await Promise.race([redis.quit().catch(() => undefined), sleep(1_000)]);
    redis.disconnect();
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: AlertSocket, @MessageBody() params: unknown): SubscribeAck {
    const parsed = parseAlertQuery(isRecord(params) ? params : {});
    if (!parsed.ok) return { ok: false, issues: parsed.issues };
    socket.data.filter = parsed.value.filter;
    this.logger.debug(`socket ${socket.id} subscribed`);
    return { ok: true };
  }

  @OnEvent(ALERT_INGESTED)
  broadcast({ alert }: AlertIngested): void {
    this.push(alert);
    if (!this.redis) return;
    // One adapter message per turn instead of one per alert: a burst or a batch costs one stream entry.
    this.outgoing.push(alert);
    if (this.outgoing.length === 1) {
      setImmediate(() => {
        const alerts = this.outgoing;
        this.outgoing = [];
        this.toOtherReplicas((server) => server.serverSideEmit('alertsJson', Buffer.from(JSON.stringify(alerts))));
      });
    }
  }

  /** The other replicas' sockets of a session logged out here (this replica's: `SocketAuthenticator`). */
  @OnEvent(SESSION_ENDED)
  relaySessionEnded({ digest }: SessionEnded): void {
    this.toOtherReplicas((server) => server.serverSideEmit('credentialEnded', 'session', digest));
  }

  @OnEvent(TOKEN_REVOKED)
  relayTokenRevoked({ id }: TokenRevoked): void {
    this.toOtherReplicas((server) => server.serverSideEmit('credentialEnded', 'token', id));
  }

  /**
   * Sends a server-side event when other replicas listen. The adapter counts the replicas subscribed to its channel
   * (a small command to Redis): a replica alone does not publish, which would cost it the message and its echo for
   * nothing. The adapter does not catch a failed publish, so nothing is sent once the connection is closing or when
   * the count failed.
   */
  private toOtherReplicas(send: (server: AlertServer) => void): void {
    if (!this.redis) return;
    this.server
      .of('/')
      .adapter.serverCount()
      .then((replicas) => {
        if (replicas > 1 && !this.closing) send(this.server);
      })
      .catch((error: unknown) => this.logger.debug(`Replica count failed: ${(error as Error).message}`));
  }

  /**
   * To this replica's sockets whose subscription matches, as one broadcast: the alert is encoded once and the same
   * frame written to each of them (`local`: the other replicas push to their own sockets).
   */
  private push(alert: Alert): void {
    const targets: string[] = [];
    for (const socket of this.server.sockets.sockets.values()) {
      const filter = socket.data.filter;
      if (!filter || !matchesFilter(alert, filter)) continue;
      if (socket.data.backlog >= MAX_SOCKET_BACKLOG) {
        this.logger.warn(`Dropped live-stream client ${socket.id}: ${socket.data.backlog} alerts behind`);
        const connection = socket.conn;
        socket.disconnect();
        connection.close(true);
        continue;
      }
      targets.push(socket.id);
    }
    if (targets.length > 0) this.server.local.to(targets).emit('alert', alert);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
