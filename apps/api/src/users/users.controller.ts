import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersService, type AuthUser } from '@app/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { CreateUserDto, SetUserRolesDto, UserChangeReasonDto, UserDto } from './users.dto';
import { ApiIdempotencyKey } from '../idempotency/idempotency.interceptor';

@ApiTags('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiIdempotencyKey()
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

  @Post(':id/deactivate')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Deactivate a user (admin): every session of theirs ends at once and they cannot log in. Audited as USER_DEACTIVATED; ' +
      '422 when it would leave no active administrator.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiAuth(400, 403, 404, 422)
  deactivate(@CurrentUser() admin: AuthUser, @Param() { id }: IdParamDto, @Body() dto: UserChangeReasonDto): Promise<UserDto> {
    return this.users.deactivate(admin, id, dto.reason ?? null);
  }

  @Post(':id/activate')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reactivate a user (admin): they can log in again. Audited as USER_ACTIVATED.' })
  @ApiOkResponse({ type: UserDto })
  @ApiAuth(400, 403, 404)
  activate(@CurrentUser() admin: AuthUser, @Param() { id }: IdParamDto, @Body() dto: UserChangeReasonDto): Promise<UserDto> {
    return this.users.activate(admin, id, dto.reason ?? null);
  }

  @Put(':id/roles')
  @ApiIdempotencyKey()
  @Roles('admin')
  @ApiOperation({
    summary:
      "Replace a user's roles (admin); they apply from the user's next request in every API process. Audited as " +
      'USER_ROLES_CHANGED; 422 when it would leave no active administrator.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiAuth(400, 403, 404, 422)
  setRoles(@CurrentUser() admin: AuthUser, @Param() { id }: IdParamDto, @Body() dto: SetUserRolesDto): Promise<UserDto> {
    return this.users.setRoles(admin, id, dto.roles, dto.reason ?? null);
  }
}
