import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditTrailService } from '@app/domain';
import { Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { CSV, JSON_FORMAT, type ExportFormatter } from './audit-export.format';
import { AuditEventListDto, AuditVerificationDto, ExportAuditQuery, ListAuditEventsQuery, VerifyAuditQuery } from './audit.dto';

const AUDIT_READERS = ['auditor', 'compliance_officer', 'discipline_officer'] as const;

class ClientGone extends Error {}

/** Resolves once the response can take more, or rejects when the client has gone away. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', gone);
      resolve();
    };
    const gone = () => {
      res.off('drain', done);
      res.off('close', gone);
      reject(new ClientGone());
    };
    res.on('drain', done);
    res.on('close', gone);
  });
}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  private readonly logger = new Logger(AuditController.name);

  constructor(private readonly trail: AuditTrailService) {}

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
      'Recompute the hash chains (auditor, compliance_officer, discipline_officer): every case chain and the system chain, or one case with caseId. Reports the first broken entry.',
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
  async export(@Query() q: ExportAuditQuery, @Res() res: Response): Promise<void> {
    if (q.caseId) await this.trail.assertCase(q.caseId);
    const fmt: ExportFormatter = q.format === 'json' ? JSON_FORMAT : CSV;
    const exportedAt = new Date().toISOString();
    const stamp = exportedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    res.status(200);
    res.setHeader('Content-Type', fmt.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="audit-${q.caseId ?? 'all'}-${stamp}.${fmt.extension}"`);
    res.setHeader('Cache-Control', 'no-store');
    const write = (chunk: string): Promise<void> | void => {
      if (res.destroyed) throw new ClientGone();
      if (!res.write(chunk)) return drained(res);
    };
    let index = 0;
    try {
      await write(fmt.head({ caseId: q.caseId ?? null, exportedAt }));
      const count = await this.trail.export(q.caseId, (e) => write(fmt.entry(e, index++)));
      res.end(fmt.tail(count));
    } catch (err) {
      if (err instanceof ClientGone) {
        this.logger.warn({ msg: 'audit export abandoned by the client', caseId: q.caseId ?? null, entriesWritten: index });
        return;
      }
      // Headers are out: cut the connection so the client sees an incomplete download, not a short file.
      this.logger.error({
        msg: 'audit export failed midway',
        caseId: q.caseId ?? null,
        err: err instanceof Error ? err.message : String(err),
      });
      res.destroy();
    }
  }
}
