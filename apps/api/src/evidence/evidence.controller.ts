import { Controller, Get, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CASE_ACTORS, CASE_READERS } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import { EvidenceService, type AuthUser, type IdempotentUpload } from '@app/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiIdempotencyKey, IdempotentUploadKey } from '../idempotency/idempotency.interceptor';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { EvidenceFileDto, EvidenceUploadBodyDto } from './evidence.dto';
import { rawRequest, readFilePart } from './multipart';
import { streamStoredFile } from '../common/stored-file';

@ApiTags('evidence')
@Controller()
export class EvidenceController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly config: AppConfigService,
  ) {}

  @Post('cases/:id/evidence')
  @Roles(...CASE_ACTORS)
  @ApiOperation({
    summary:
      'Upload an evidence file to a case (multipart, field file) — by its team or anyone who can act on it now. The type is sniffed from the content; an empty, oversized or disallowed file is refused and nothing is stored. The upload is an entry on the case chain carrying the SHA-256.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: EvidenceUploadBodyDto })
  @ApiCreatedResponse({ type: EvidenceFileDto })
  @ApiAuth(400, 403, 404, 413, 415)
  @ApiIdempotencyKey()
  async upload(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Req() req: FastifyRequest,
    @IdempotentUploadKey() key: IdempotentUpload | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<EvidenceFileDto> {
    try {
      await this.evidence.assertMayUpload(user, id, key);
    } catch (err) {
      rawRequest(req).resume(); // read and drop the body, so the refusal can be answered
      throw err;
    }
    const file = await readFilePart(req, 'file', this.config.get('evidence').maxBytes);
    const answer = await this.evidence.upload(user, id, file, key);
    if (answer.replayed) void res.status(answer.statusCode).header('idempotent-replayed', 'true');
    return answer.body;
  }

  @Get('cases/:id/evidence')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'The evidence files of a case, oldest first.' })
  @ApiOkResponse({ type: [EvidenceFileDto] })
  @ApiAuth(400, 403, 404)
  list(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto): Promise<EvidenceFileDto[]> {
    return this.evidence.list(user, id);
  }

  @Get('evidence/:id')
  @Roles(...CASE_READERS)
  @ApiOperation({
    summary:
      'Download an evidence file: its media type, its name (Content-Disposition, RFC 5987 for non-ASCII names) and X-Content-SHA256.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, streamed.', schema: { type: 'string', format: 'binary' } })
  @ApiAuth(400, 403, 404)
  async download(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    const { record, chunks } = await this.evidence.open(user, id);
    return streamStoredFile(res, { ...record, chunks });
  }
}
