import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@app/case-workflow';
import type { AuthPrincipal, AuthUser } from '@app/domain';

export const IS_PUBLIC = 'isPublic';
/** The route needs no bearer token (health, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ROLES_KEY = 'roles';
/** The caller needs at least one of these roles (else 403). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

/** The authenticated caller with the session their token names (for logout). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthPrincipal => {
  const req = ctx.switchToHttp().getRequest<{ user: AuthUser; sessionId: string }>();
  return { user: req.user, sessionId: req.sessionId };
});
