import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService, type AuthPrincipal } from '@app/domain';
import { ApiAuth, ApiErrors } from '../common/api-errors.decorator';
import { CurrentPrincipal, Public } from './auth.decorators';
import { LoginDto, LoginResponseDto, RefreshDto } from './login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Log in with a username and password: a short-lived access token and a refresh token for one session. Every attempt is audited.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.login(dto.username, dto.password, { ip: req.ip });
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Trade a refresh token for a new access token and the next refresh token (rotation). A spent refresh token ' +
      'presented again revokes the whole session (audited as SESSION_REVOKED); 401 once the session has ended.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<LoginResponseDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the caller's session: its access and refresh tokens stop working at once. Audited as LOGOUT." })
  @ApiNoContentResponse({ description: 'The session has ended.' })
  @ApiAuth()
  async logout(@CurrentPrincipal() caller: AuthPrincipal): Promise<void> {
    await this.auth.logout(caller);
  }
}
