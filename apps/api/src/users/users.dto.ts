import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@app/case-workflow';

export class CreateUserDto {
  @ApiProperty({ example: 'investment_manager_9', description: 'Letters, digits, dot, dash and underscore.' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'username must be 3–64 letters, digits, dots, dashes or underscores' })
  username!: string;

  @ApiProperty({ example: '王小明' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ minLength: 12, description: 'At least 12 characters; stored as a scrypt hash.' })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class UserChangeReasonDto {
  @ApiPropertyOptional({ example: 'Left the firm on 2026-12-01', description: 'Recorded with the audit entry.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class SetUserRolesDto extends UserChangeReasonDto {
  @ApiProperty({ enum: ROLES, isArray: true, description: 'The complete new set of roles (replaces the old one).' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
