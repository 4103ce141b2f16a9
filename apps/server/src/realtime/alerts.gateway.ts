/**
 * Live alerts over socket.io. A dashboard emits `subscribe` with the same filter parameters as the API
 * and from then on receives `alert` for each stored alert that matches; nothing before it subscribes.
 */
import {
  matchesFilter,
  parseAlertQuery,
  type AlertFilter,
  type StreamClientEvents,
  type StreamServerEvents,
  type SubscribeAck,
} from '@harrier/alert';
import { Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { ALERT_INGESTED, AlertIngested } from '../alerts/alert.events.js';

interface SocketData {
  filter?: AlertFilter;
}

type AlertSocket = Socket<StreamClientEvents, StreamServerEvents, Record<string, never>, SocketData>;

@WebSocketGateway({ cors: false })
export class AlertsGateway {
  private readonly logger = new Logger(AlertsGateway.name);

  @WebSocketServer()
  private readonly server!: Server<StreamClientEvents, StreamServerEvents, Record<string, never>, SocketData>;

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
    for (const socket of this.server.sockets.sockets.values()) {
      const filter = socket.data.filter;
      if (filter && matchesFilter(alert, filter)) socket.emit('alert', alert);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
