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
