import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from './auth.decorators';
import { LoginDto, LoginResponseDto } from './login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with a username and password; returns a bearer token. Every attempt is audited.' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.login(dto.username, dto.password, { ip: req.ip });
  }
}
