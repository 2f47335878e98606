import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthService, DomainErrorCode, DomainException, type AuthUser } from '@app/domain';
import { IS_PUBLIC } from './auth.decorators';

/**
 * Every route needs `Authorization: Bearer <token>` unless marked @Public(). The token must be
 * signed, unexpired, and name a live session of an active user; the roles are the user's roles now.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser; sessionId?: string }>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      throw new DomainException(
        DomainErrorCode.Unauthorized,
        'Send a bearer token (Authorization: Bearer <accessToken>) from POST /api/auth/login.',
      );
    }
    const principal = await this.auth.verify(match[1]);
    req.user = principal.user;
    req.sessionId = principal.sessionId;
    return true;
  }
}
