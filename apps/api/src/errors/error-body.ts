import { HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error response. */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error!: string;

  @ApiProperty({
    description: 'A sentence a person can act on.',
    example: 'SUBMIT is not allowed while the case is in screening; events accepted here: APPROVE, REJECT, RETURN.',
  })
  message!: string;

  @ApiPropertyOptional({ description: 'Chinese summary of the error kind.' })
  messageZh?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;

  @ApiProperty({ description: 'The request id, also in the x-request-id header and every log line.' })
  requestId!: string;
}

/** The Chinese summary of each error status. */
const ZH: Record<number, string> = {
  400: '请求参数有误',
  401: '未登录或登录已失效',
  403: '无权执行此操作',
  404: '资源不存在',
  409: '版本冲突或资源冲突，请刷新后重试',
  413: '请求体过大',
  414: '请求地址过长',
  415: '不支持的请求体类型，请发送 JSON',
  422: '当前状态不允许此操作或不满足规则',
  429: '尝试次数过多，请稍后再试',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

/** `Unprocessable Entity` for 422. */
function httpReason(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** The contract's error body, built in this one place (the exception filter and the adapter's own refusals). */
export function errorBody(status: number, message: string, requestId: string, details?: Record<string, unknown>): ErrorBodyDto {
  return {
    statusCode: status,
    error: httpReason(status),
    message,
    messageZh: ZH[status],
    ...(details ? { details } : {}),
    requestId,
  };
}
