import { Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { AUDIT_READERS } from '@app/case-workflow';
import { AuditTrailService, CheckpointService, Clock } from '@app/domain';
import { Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { CSV, JSON_FORMAT, type ExportFormatter } from './audit-export.format';
import {
  AuditEventListDto,
  AuditVerificationDto,
  CheckpointDto,
  CheckpointWrittenDto,
  ExportAuditQuery,
  ListAuditEventsQuery,
  VerifyAuditQuery,
} from './audit.dto';

class ClientGone extends Error {}

/** Resolves once the stream can take more, or rejects when the client has gone away (Fastify destroys it). */
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', gone);
      resolve();
    };
    const gone = () => {
      out.off('drain', done);
      out.off('close', gone);
      reject(new ClientGone());
    };
    out.on('drain', done);
    out.on('close', gone);
  });
}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  private readonly logger = new Logger(AuditController.name);

  constructor(
    private readonly trail: AuditTrailService,
    private readonly clock: Clock,
    private readonly checkpoints: CheckpointService,
  ) {}

  @Get('checkpoints')
  @Roles(...AUDIT_READERS)
  @ApiOperation({
    summary:
      'The anchored checkpoints, newest first (at most 50): each pins, outside the database and signed with Ed25519, the head of every chain that moved since the one before. Empty when checkpoints are not configured.',
  })
  @ApiOkResponse({ type: [CheckpointDto] })
  @ApiAuth(403)
  listCheckpoints(): Promise<CheckpointDto[]> {
    return this.checkpoints.list();
  }

  @Post('checkpoints')
  @HttpCode(200)
  // Auditors are read-only everywhere (the contract); oversight and the administrator may anchor.
  @Roles('compliance_officer', 'discipline_officer', 'admin')
  @ApiOperation({
    summary:
      'Write a checkpoint now (before an audit, after a migration): pins every chain that moved since the last one. Returns it (checkpoint null when nothing moved); 409 when checkpoints are not configured.',
  })
  @ApiOkResponse({ type: CheckpointWrittenDto })
  @ApiAuth(403, 409)
  async writeCheckpoint(): Promise<CheckpointWrittenDto> {
    return { checkpoint: await this.checkpoints.write('manual') };
  }

  @Get('events')
  @Roles(...AUDIT_READERS)
  @ApiOperation({
    summary: 'Audit entries across cases (auditor, compliance_officer, discipline_officer): filters, oldest first, keyset pagination.',
  })
  @ApiOkResponse({ type: AuditEventListDto })
  @ApiAuth(400, 403)
  events(@Query() q: ListAuditEventsQuery): Promise<AuditEventListDto> {
    return this.trail.events({ ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
  }

  @Get('verify')
  @Roles(...AUDIT_READERS)
  @ApiOperation({
    summary:
      'Recompute the hash chains (auditor, compliance_officer, discipline_officer): every case chain and the system chain, or one case with caseId. Reports the first broken entry, and every case row that differs from what its chain, replayed through the machine, produces (with the first differing field).',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  @ApiAuth(400, 403, 404)
  verify(@Query() q: VerifyAuditQuery): Promise<AuditVerificationDto> {
    return this.trail.verify(q.caseId);
  }

  @Get('export')
  @Roles(...AUDIT_READERS)
  @ApiOperation({
    summary:
      'Download the history of a case (or the whole history) for the audit working papers, in seq order, streamed (auditor, compliance_officer, discipline_officer).',
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'CSV: a header line, then one line per entry. JSON: { format, exportedAt, caseId, entries, count }.' })
  @ApiAuth(400, 403, 404)
  async export(@Query() q: ExportAuditQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    if (q.caseId) await this.trail.assertCase(q.caseId);
    const fmt: ExportFormatter = q.format === 'json' ? JSON_FORMAT : CSV;
    const exportedAt = this.clock.nowIso();
    const stamp = exportedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    void reply
      .header('Content-Type', fmt.contentType)
      .header('Content-Disposition', `attachment; filename="audit-${q.caseId ?? 'all'}-${stamp}.${fmt.extension}"`)
      .header('Cache-Control', 'no-store');
    const out = new PassThrough();
    void this.streamExport(out, q.caseId, fmt, exportedAt);
    return out;
  }

  /** Writes the export into `out` with backpressure; a failure midway cuts the response (not a short file). */
  private async streamExport(out: PassThrough, caseId: string | undefined, fmt: ExportFormatter, exportedAt: string): Promise<void> {
    const write = (chunk: string): Promise<void> | void => {
      if (out.destroyed) throw new ClientGone();
      if (!out.write(chunk)) return drained(out);
    };
    let index = 0;
    try {
      await write(fmt.head({ caseId: caseId ?? null, exportedAt }));
      const count = await this.trail.export(caseId, (e) => write(fmt.entry(e, index++)));
      out.end(fmt.tail(count));
    } catch (err) {
      if (err instanceof ClientGone) {
        this.logger.warn({ msg: 'audit export abandoned by the client', caseId: caseId ?? null, entriesWritten: index });
        return;
      }
      this.logger.error({
        msg: 'audit export failed midway',
        caseId: caseId ?? null,
        err: err instanceof Error ? err.message : String(err),
      });
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
