import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { DomainErrorCode, DomainException, type IncomingFile } from '@app/domain';

/** The Node request under Fastify's request (to drain a body that will not be read). */
export function rawRequest(req: FastifyRequest): IncomingMessage {
  return req.raw;
}

const badRequest = (message: string, messageZh: string) => new DomainException(DomainErrorCode.InvalidInput, message, undefined, messageZh);

/**
 * Reads a multipart/form-data request (@fastify/multipart, registered in configure-app.ts) as a
 * stream and hands over its file part `field` as soon as its headers arrive: the bytes are never
 * buffered here. At most `maxBytes + 1` bytes of the file are passed on (busboy reads and drops the
 * rest), so the caller can tell an oversized file. File names are read as UTF-8, as browsers send them.
 */
export async function readFilePart(req: FastifyRequest, field: string, maxBytes: number): Promise<IncomingFile> {
  if (!req.isMultipart()) {
    req.raw.resume();
    throw badRequest(
      `Send the file as multipart/form-data with the file in the field ${field}.`,
      `请以 multipart/form-data 格式上传，文件字段名为 ${field}。`,
    );
  }
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await req.file({ limits: { files: 1, fileSize: maxBytes + 1, fields: 20, parts: 21 }, throwFileSizeLimit: false });
  } catch (err) {
    req.raw.resume();
    throw badRequest(`The multipart request cannot be read: ${(err as Error).message}.`, '无法解析上传请求。');
  }
  if (!part) throw badRequest(`The request has no file in the field ${field}.`, `请求中没有名为 ${field} 的文件。`);
  if (part.fieldname !== field) {
    part.file.resume();
    throw badRequest(`The request has no file in the field ${field} (it sent ${part.fieldname}).`, `请求中没有名为 ${field} 的文件。`);
  }
  return { fileName: part.filename ?? '', stream: part.file };
}
