import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CASE_READERS } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import { DocumentsService, type AuthUser } from '@app/domain';
import type { IssuedDocumentRecord } from '@app/persistence';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { readFilePart } from '../evidence/multipart';
import { streamStoredFile } from '../common/stored-file';
import { DocumentCheckDto, DocumentFileBodyDto, IssueCaseDocumentDto, IssuedDocumentDto, IssueFundDocumentDto } from './documents.dto';
import { ApiIdempotencyKey } from '../idempotency/idempotency.interceptor';

const toDto = ({ content: _c, year: _y, serial: _s, factsSha256: _f, ...d }: IssuedDocumentRecord): IssuedDocumentDto => d;

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly config: AppConfigService,
  ) {}

  @Post('cases/:id/documents')
  @ApiIdempotencyKey()
  @Roles('committee_chair', 'compliance_officer')
  @ApiOperation({
    summary:
      'Issue a document of the case from its record (committee_chair, compliance_officer): a numbered Chinese PDF with a verification block. 201 when issued; 200 with the document already issued when the facts it states have not changed.',
  })
  @ApiCreatedResponse({ type: IssuedDocumentDto })
  @ApiOkResponse({ type: IssuedDocumentDto, description: 'The record has not changed since the last issue of this kind: that document.' })
  @ApiAuth(400, 403, 404, 409, 422)
  async issueForCase(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Body() body: IssueCaseDocumentDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<IssuedDocumentDto> {
    const { document, created } = await this.documents.issueForCase(user, id, body.kind);
    res.status(created ? 201 : 200);
    return toDto(document);
  }

  @Post('funds/:id/documents')
  @ApiIdempotencyKey()
  @Roles('compliance_officer', 'department_head')
  @ApiOperation({
    summary:
      'Issue the fund’s whole-life evaluation (基金全生命周期绩效评价报告) as a numbered PDF; 200 with the existing one when nothing changed.',
  })
  @ApiCreatedResponse({ type: IssuedDocumentDto })
  @ApiAuth(400, 403, 404)
  async issueForFund(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Body() _body: IssueFundDocumentDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<IssuedDocumentDto> {
    const { document, created } = await this.documents.issueForFund(user, id);
    res.status(created ? 201 : 200);
    return toDto(document);
  }

  @Get('cases/:id/documents')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'The documents issued for a case, oldest first.' })
  @ApiOkResponse({ type: [IssuedDocumentDto] })
  @ApiAuth(400, 403, 404)
  async listForCase(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto): Promise<IssuedDocumentDto[]> {
    return (await this.documents.listForCase(user, id)).map(toDto);
  }

  @Get('funds/:id/documents')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'The documents issued for a fund, oldest first.' })
  @ApiOkResponse({ type: [IssuedDocumentDto] })
  @ApiAuth(400, 403, 404)
  async listForFund(@Param() { id }: IdParamDto): Promise<IssuedDocumentDto[]> {
    return (await this.documents.listForFund(id)).map(toDto);
  }

  @Get('documents/:id')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'The issued PDF, streamed, with X-Content-SHA256.' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF.', schema: { type: 'string', format: 'binary' } })
  @ApiAuth(400, 403, 404)
  async download(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    const { document, chunks } = await this.documents.open(user, id);
    res.header('X-Document-Number', encodeURIComponent(document.number));
    return streamStoredFile(res, {
      fileName: `${document.number}.pdf`,
      mediaType: 'application/pdf',
      sizeBytes: document.sizeBytes,
      sha256: document.sha256,
      chunks,
    });
  }

  @Post('documents/verify')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Check a PDF (multipart, field file; any signed-in user): whether this system issued it, whether it is unchanged, and whether the record has moved on since. Nothing is stored.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: DocumentFileBodyDto })
  @ApiOkResponse({ type: DocumentCheckDto })
  @ApiAuth(400, 413)
  async verify(@Req() req: FastifyRequest): Promise<DocumentCheckDto> {
    const max = this.config.get('evidence').maxBytes;
    const file = await readFilePart(req, 'file', max);
    return this.documents.verify(file.stream, max);
  }
}
