import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'investment_manager_1' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'demo-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the login or the previous refresh; each works once.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken!: string;
}

export class AuthUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Bearer token for every other endpoint; short-lived (JWT_TTL_SECONDS, 15 minutes by default).' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time' })
  accessTokenExpiresAt!: string;

  @ApiProperty({
    description:
      'Trade it at POST /api/auth/refresh for a new access token and a new refresh token before the access token expires. ' +
      'Each refresh token works once: presenting a spent one ends the session.',
  })
  refreshToken!: string;

  @ApiProperty({ format: 'date-time', description: 'When the session ends however often it is refreshed (SESSION_TTL_SECONDS).' })
  refreshTokenExpiresAt!: string;

  @ApiProperty({ type: AuthUserDto }) user!: AuthUserDto;
}
