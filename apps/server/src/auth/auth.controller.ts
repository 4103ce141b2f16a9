import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { AuthService, type Principal, type TokenInfo } from './auth.service.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './session-cookie.js';

const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

const tokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(['read', 'admin'], { error: 'must be read or admin' }),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || 'body',
    message: i.message,
  }));
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `Invalid body: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    issues,
  });
}

/** Secure when the browser reached the hub over TLS (directly or through a proxy that says so) or PUBLIC_URL is https. */
function overTls(request: FastifyRequest, publicUrl: string | undefined): boolean {
  return (
    request.protocol === 'https' ||
    request.headers['x-forwarded-proto'] === 'https' ||
    !!publicUrl?.startsWith('https:')
  );
}

@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: HarrierConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<{ user: string; expiresAt: number }> {
    const { username, password } = parse(loginBody, body);
    const { sessionId, session } = await this.auth.login(username, password, request.ip);
    void reply.header('set-cookie', sessionCookie(sessionId, this.config.auth.sessionTtlMs, this.secure(request)));
    return { user: session.user, expiresAt: session.expiresAt };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(readSessionCookie(request.headers.cookie));
    void reply.header('set-cookie', clearedSessionCookie(this.secure(request)));
  }

  /** Who the caller is; the dashboard asks at start and shows the login page on 401. */
  @Get('session')
  session(@Req() request: FastifyRequest): Principal & { authEnabled: boolean } {
    return { ...request.principal!, authEnabled: this.auth.enabled };
  }

  @Get('tokens')
  tokens(): Promise<TokenInfo[]> {
    return this.auth.listTokens();
  }

  /** The only answer that ever holds the token. */
  @Post('tokens')
  @HttpCode(201)
  async createToken(@Req() request: FastifyRequest, @Body() body: unknown): Promise<TokenInfo & { token: string }> {
    const { name, scope } = parse(tokenBody, body);
    const { token, info } = await this.auth.createToken(name, scope, request.principal!.user);
    return { ...info, token };
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  async revokeToken(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    await this.auth.revokeToken(id, request.principal!.user);
  }

  private secure(request: FastifyRequest): boolean {
    return overTls(request, this.config.server.publicUrl);
  }
}
