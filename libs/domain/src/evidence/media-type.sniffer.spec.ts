import { MediaTypeSniffer } from './media-type.sniffer';

function sniff(...chunks: (Buffer | string)[]) {
  const s = new MediaTypeSniffer();
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  return s.finish();
}

describe('MediaTypeSniffer', () => {
  it('tells accepted kinds by their bytes', () => {
    expect(sniff('%PDF-1.7\n...')).toMatchObject({ mediaType: 'application/pdf', kind: 'pdf' });
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toMatchObject({ mediaType: 'image/jpeg', kind: 'image' });
    expect(sniff('GIF89a....')).toMatchObject({ kind: 'image' });
    expect(
      sniff(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('[Content_Types].xml xl/workbook.xml')])),
    ).toMatchObject({
      kind: 'office',
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(sniff(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('photos/a.jpg')]))).toMatchObject({
      kind: 'zip',
    });
  });

  it('checks text as UTF-8 over the whole file, across chunk boundaries', () => {
    const text = Buffer.from('投资决策委员会决议', 'utf8');
    // A three-byte character split between two chunks is still text.
    expect(sniff(text.subarray(0, 4), text.subarray(4))).toMatchObject({ kind: 'text', mediaType: 'text/plain; charset=utf-8' });
    // Invalid UTF-8 far past the head is not.
    expect(sniff(Buffer.alloc(70_000, 0x41), Buffer.from([0xc3, 0x28]))).toMatchObject({ kind: null });
    // A truncated multi-byte sequence at the very end is not.
    expect(sniff(text.subarray(0, 4))).toMatchObject({ kind: null });
    expect(sniff('abc\u0000def')).toMatchObject({ kind: null });
  });

  it('never accepts executables, whatever follows', () => {
    expect(sniff('MZ\x90\x00 %PDF-1.4')).toMatchObject({ kind: null, description: 'a Windows executable' });
    expect(sniff(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))).toMatchObject({ kind: null });
    expect(sniff('#!/bin/sh\nrm -rf /\n')).toMatchObject({ kind: null, description: 'an executable script' });
  });

  it('accepts an OLE2 file only when it is a Word, Excel or PowerPoint file', () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(sniff(ole, Buffer.alloc(100_000), Buffer.from('WordDocument', 'utf16le'))).toMatchObject({
      kind: 'office',
      mediaType: 'application/msword',
    });
    expect(sniff(ole, Buffer.alloc(100))).toMatchObject({ kind: null });
  });
});
