import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { DomainErrorCode, DomainException, type IncomingFile } from '@app/domain';

/** The Node request under the adapter's own request object (Fastify keeps it as `raw`; Express is one). */
export function rawRequest(req: unknown): IncomingMessage {
  return ((req as { raw?: IncomingMessage }).raw ?? req) as IncomingMessage;
}

const badRequest = (message: string, messageZh: string) => new DomainException(DomainErrorCode.InvalidInput, message, undefined, messageZh);

/**
 * Reads a multipart/form-data request as a stream and hands over its one file part (field `file`)
 * as soon as its headers arrive: the bytes are never buffered here. At most `maxBytes + 1` bytes of
 * the file are passed on (the rest is read and dropped), so the caller can tell an oversized file.
 * File names are read as UTF-8 (what browsers send) or from RFC 5987 `filename*`.
 */
export function readFilePart(req: IncomingMessage, field: string, maxBytes: number): Promise<IncomingFile> {
  return new Promise<IncomingFile>((resolve, reject) => {
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      reject(
        badRequest(
          `Send the file as multipart/form-data with the file in the field ${field}.`,
          `请以 multipart/form-data 格式上传，文件字段名为 ${field}。`,
        ),
      );
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxBytes + 1, fields: 20, parts: 21 },
      });
    } catch (err) {
      req.resume();
      reject(badRequest(`The multipart request cannot be read: ${(err as Error).message}.`, '无法解析上传请求。'));
      return;
    }
    let handed = false;
    parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      if (name !== field || handed) {
        stream.resume();
        return;
      }
      handed = true;
      resolve({ fileName: info.filename ?? '', stream });
    });
    parser.on('error', (err: Error) => {
      req.unpipe(parser);
      req.resume();
      if (!handed) reject(badRequest(`The multipart request cannot be read: ${err.message}.`, '无法解析上传请求。'));
    });
    parser.on('close', () => {
      if (!handed) reject(badRequest(`The request has no file in the field ${field}.`, `请求中没有名为 ${field} 的文件。`));
    });
    req.pipe(parser);
  });
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
