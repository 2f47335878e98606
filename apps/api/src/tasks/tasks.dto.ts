import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ROLES, type Role } from '@app/case-workflow';
import { TaskDto } from '../cases/dto/case.dto';
import { PageQuery } from '../common/page.query';

export class ListTasksQuery extends PageQuery(50, 200) {
  @ApiPropertyOptional({ enum: ROLES, description: 'One queue (a role) the caller may see; default all of theirs.' })
  @IsOptional()
  @IsIn(ROLES)
  queue?: Role;

  @ApiPropertyOptional({ enum: ['me', 'unassigned'] })
  @IsOptional()
  @IsIn(['me', 'unassigned'])
  assignee?: 'me' | 'unassigned';

  @ApiPropertyOptional({ enum: ['open', 'done'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'done'])
  status: 'open' | 'done' = 'open';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;
}

/** A queue row: the task with what identifies its case (so a page of 50 needs no further calls). */
export class QueueTaskDto extends TaskDto {
  @ApiProperty({ example: '秦岭量子传感技术有限公司' }) companyName!: string;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
}

export class TaskListDto {
  @ApiProperty({ type: [QueueTaskDto] }) items!: QueueTaskDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
