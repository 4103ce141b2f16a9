/** Login, sessions, API tokens and the guard in front of every route; the store follows the alert store's choice. */
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import { redisKeys } from '../redis/redis-keys.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { AUTH_STORE, type AuthStore } from './auth.store.js';
import { MemoryAuthStore } from './memory-auth.store.js';
import { RedisAuthStore } from './redis-auth.store.js';
import { SocketAuthenticator } from './socket-authenticator.js';

export function createAuthStore(config: HarrierConfig): AuthStore {
  const { store } = config;
  if (!config.auth.enabled || store.kind === 'memory') return new MemoryAuthStore();
  return new RedisAuthStore(createRedisConnection(store, 'Redis (auth)'), redisKeys(store.keyPrefix));
}

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: AUTH_STORE, inject: [CONFIG], useFactory: createAuthStore },
    AuthService,
    SocketAuthenticator,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, SocketAuthenticator],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(@Inject(AUTH_STORE) private readonly store: AuthStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
