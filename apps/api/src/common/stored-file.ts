import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** A stored file on its way out: what the download needs to say about it, and its bytes. */
export interface OutgoingFile {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

/**
 * `Content-Disposition: attachment` for any file name: an ASCII fallback and the exact name in
 * RFC 5987 form, so a browser saves 尽调报告.pdf under that name.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored file (evidence or an issued document) as a download: its type, length and exact
 * name, X-Content-SHA256 so the receiver can check what it got against the chain, and no sniffing.
 */
export function streamStoredFile(res: FastifyReply, file: OutgoingFile): StreamableFile {
  res.header('X-Content-SHA256', file.sha256);
  res.header('X-Content-Type-Options', 'nosniff');
  return new StreamableFile(Readable.from(file.chunks), {
    type: file.mediaType,
    length: file.sizeBytes,
    disposition: contentDisposition(file.fileName),
  });
}
