/** The one place errors become HTTP answers: module errors map to 4xx/503, anything unknown to a logged 500. */
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AlertNotFoundError, ValidationFailedError } from '../alerts/alerts.errors.js';
import { StoreUnavailableError } from '../alerts/alert.store.js';
import {
  AuthUnavailableError,
  LoginFailedError,
  TooManyLoginAttemptsError,
  UnknownTokenError,
} from '../auth/auth.errors.js';
import { UnknownOutputError } from '../outputs/outputs.service.js';
import { NoAuditEventsError } from '../rules/rules.service.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const send = (statusCode: number, message: string, extra: object = {}) =>
      void reply.status(statusCode).send({ statusCode, error: REASONS[statusCode] ?? 'Error', message, ...extra });

    if (error instanceof ValidationFailedError) {
      send(400, error.message, { issues: error.issues });
    } else if (error instanceof NoAuditEventsError) {
      send(400, error.message, { skipped: error.problems.slice(0, 100) });
    } else if (error instanceof AlertNotFoundError || error instanceof UnknownOutputError) {
      send(404, error.message);
    } else if (error instanceof StoreUnavailableError) {
      this.logger.error(error.message);
      send(503, 'Alert store unavailable; the alert was not stored. Retry later.');
    } else if (error instanceof LoginFailedError) {
      send(401, error.message);
    } else if (error instanceof TooManyLoginAttemptsError) {
      void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
      send(429, error.message);
    } else if (error instanceof UnknownTokenError) {
      send(404, error.message);
    } else if (error instanceof AuthUnavailableError) {
      this.logger.error(error.message);
      send(503, 'Login state unavailable (store down). Retry later.');
    } else if (error instanceof HttpException) {
      const body = error.getResponse();
      void reply
        .status(error.getStatus())
        .send(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
    } else if (isFastifyError(error)) {
      send(error.statusCode, error.message, { code: error.code });
    } else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      send(500, 'Internal server error');
    }
  }
}

function isFastifyError(error: unknown): error is { statusCode: number; code: string; message: string } {
  return (
    error instanceof Error &&
    typeof (error as { statusCode?: unknown }).statusCode === 'number' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
