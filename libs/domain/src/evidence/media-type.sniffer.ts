import type { EvidenceKind } from '@app/config';

/** What the content says a file is: its media type and the kind of file the limits speak of. */
export interface SniffedType {
  mediaType: string;
  /** `null` for content that is never accepted (an executable), or that no accepted kind matches. */
  kind: EvidenceKind | null;
  /** A human name of what was found, for the refusal sentence ("a Windows executable"). */
  description: string;
}

const HEAD_BYTES = 64 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
/** Names of the streams inside legacy (OLE2) Word, Excel and PowerPoint files, in UTF-16LE. */
const OLE_STREAMS: [Buffer, string, string][] = [
  [Buffer.from('WordDocument', 'utf16le'), 'application/msword', 'a Word 97-2003 document'],
  [Buffer.from('Workbook', 'utf16le'), 'application/vnd.ms-excel', 'an Excel 97-2003 workbook'],
  [Buffer.from('Book', 'utf16le'), 'application/vnd.ms-excel', 'an Excel 5 workbook'],
  [Buffer.from('PowerPoint Document', 'utf16le'), 'application/vnd.ms-powerpoint', 'a PowerPoint 97-2003 presentation'],
];
const OVERLAP = 64;

const startsWith = (b: Buffer, sig: number[] | string, at = 0) => {
  const s = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= at + s.length && b.subarray(at, at + s.length).equals(s);
};

/**
 * Tells a file's type from its bytes, never from its name or the client's Content-Type. Fed the file
 * chunk by chunk (memory stays at the first 64 KiB), so it can also check what needs the whole file:
 * that a "text" file is UTF-8 from start to end, and which Office application an OLE2 file belongs to.
 */
export class MediaTypeSniffer {
  private head = Buffer.alloc(0);
  private size = 0;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private textSoFar = true;
  private tail = Buffer.alloc(0);
  private ole: [string, string] | null = null;

  push(chunk: Buffer): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    this.size += chunk.length;
    if (this.textSoFar) {
      try {
        this.utf8.decode(chunk, { stream: true });
        // NUL and C0 controls other than tab, line feed, form feed, carriage return and escape are binary.
        for (const byte of chunk) {
          if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) {
            this.textSoFar = false;
            break;
          }
        }
      } catch {
        this.textSoFar = false;
      }
    }
    if (!this.ole && startsWith(this.head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
      const window = Buffer.concat([this.tail, chunk]);
      const hit = OLE_STREAMS.find(([name]) => window.includes(name));
      if (hit) this.ole = [hit[1], hit[2]];
      this.tail = window.subarray(Math.max(0, window.length - OVERLAP));
    }
  }

  /** The verdict once the whole file has been pushed. */
  finish(): SniffedType {
    const h = this.head;
    if (startsWith(h, 'MZ'))
      return { mediaType: 'application/vnd.microsoft.portable-executable', kind: null, description: 'a Windows executable' };
    if (startsWith(h, [0x7f, 0x45, 0x4c, 0x46]))
      return { mediaType: 'application/x-elf', kind: null, description: 'a Linux (ELF) executable' };
    if (
      [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
        [0xca, 0xfe, 0xba, 0xbe],
      ].some((s) => startsWith(h, s))
    )
      return { mediaType: 'application/x-mach-binary', kind: null, description: 'a macOS executable or Java class' };
    if (startsWith(h, '#!')) return { mediaType: 'text/x-shellscript', kind: null, description: 'an executable script' };
    const pdfAt = h.subarray(0, 1024).indexOf('%PDF-');
    if (pdfAt >= 0) return { mediaType: 'application/pdf', kind: 'pdf', description: 'a PDF document' };
    if (startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      return { mediaType: 'image/png', kind: 'image', description: 'a PNG image' };
    if (startsWith(h, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', kind: 'image', description: 'a JPEG image' };
    if (startsWith(h, 'GIF87a') || startsWith(h, 'GIF89a')) return { mediaType: 'image/gif', kind: 'image', description: 'a GIF image' };
    if (startsWith(h, 'RIFF') && startsWith(h, 'WEBP', 8)) return { mediaType: 'image/webp', kind: 'image', description: 'a WebP image' };
    if (startsWith(h, [0x49, 0x49, 0x2a, 0x00]) || startsWith(h, [0x4d, 0x4d, 0x00, 0x2a]))
      return { mediaType: 'image/tiff', kind: 'image', description: 'a TIFF image' };
    if (startsWith(h, 'BM') && h.length >= 18 && [12, 40, 52, 56, 108, 124].includes(h.readUInt32LE(14)))
      return { mediaType: 'image/bmp', kind: 'image', description: 'a BMP image' };
    if (startsWith(h, [0x50, 0x4b, 0x03, 0x04]) || startsWith(h, [0x50, 0x4b, 0x05, 0x06])) {
      if (h.includes('[Content_Types].xml')) {
        if (h.includes('word/')) return { mediaType: DOCX, kind: 'office', description: 'a Word document' };
        if (h.includes('xl/')) return { mediaType: XLSX, kind: 'office', description: 'an Excel workbook' };
        if (h.includes('ppt/')) return { mediaType: PPTX, kind: 'office', description: 'a PowerPoint presentation' };
      }
      return { mediaType: 'application/zip', kind: 'zip', description: 'a ZIP archive' };
    }
    if (startsWith(h, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
      return this.ole
        ? { mediaType: this.ole[0], kind: 'office', description: this.ole[1] }
        : {
            mediaType: 'application/x-ole-storage',
            kind: null,
            description: 'an OLE2 container that is not a Word, Excel or PowerPoint file (an installer, for instance)',
          };
    }
    if (this.size > 0 && this.textSoFar && this.utf8Complete())
      return { mediaType: 'text/plain; charset=utf-8', kind: 'text', description: 'plain text' };
    return { mediaType: 'application/octet-stream', kind: null, description: 'a binary file of a type that is not accepted' };
  }

  private utf8Complete(): boolean {
    try {
      this.utf8.decode();
      return true;
    } catch {
      return false;
    }
  }
}

/** The accepted kinds, named for a sentence. */
export const KIND_NAMES: Record<EvidenceKind, string> = {
  pdf: 'PDF',
  image: 'images (PNG, JPEG, GIF, WebP, TIFF, BMP)',
  office: 'Office documents (Word, Excel, PowerPoint)',
  text: 'plain text (UTF-8)',
  zip: 'ZIP archives',
};
