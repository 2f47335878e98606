import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersService, type AuthUser } from '@app/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { CreateUserDto, UserDto } from './users.dto';

@ApiTags('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin). Audited on the system chain.' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiAuth(400, 403, 409)
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(admin, dto);
  }

  @Get()
  @Roles('admin', 'auditor', 'compliance_officer', 'discipline_officer')
  @ApiOperation({ summary: 'List users (admin, auditor, compliance_officer, discipline_officer).' })
  @ApiOkResponse({ type: [UserDto] })
  @ApiAuth(403)
  list(): Promise<UserDto[]> {
    return this.users.list();
  }
}
