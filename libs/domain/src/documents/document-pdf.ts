import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import qrcode from 'qrcode-generator';
import { verificationLine, type DocumentContent, type DocumentSection, type VerificationBlock } from './document-content';

/** Noto Sans SC (OFL), shipped by the @embedpdf/fonts-sc npm package: a fresh clone renders Chinese. */
const FONT_DIR = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(join(FONT_DIR, 'NotoSansHans-Regular.otf')),
    bold: readFileSync(join(FONT_DIR, 'NotoSansHans-Bold.otf')),
  };
  return fonts;
}

const MARGIN = 56;

/**
 * Renders a document to PDF (A4, Chinese, subsets of Noto Sans SC embedded): the content, an English
 * summary page, and the verification block with its QR code. Deterministic for the same input (the
 * creation date is the issue time), so the stored bytes are the document.
 */
export function renderDocumentPdf(content: DocumentContent, verification: VerificationBlock): Promise<Buffer> {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: true,
    info: {
      Title: `${content.number} ${content.sections.length ? content.subject : ''}`.trim(),
      Author: 'patient-capital-workflow',
      Subject: verificationLine(verification),
      Keywords: content.kind,
      CreationDate: new Date(content.issuedAt),
      ModDate: new Date(content.issuedAt),
    },
  });
  doc.registerFont('R', f.regular);
  doc.registerFont('B', f.bold);
  const parts: Buffer[] = [];
  doc.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  const title = content.sections.length ? headingOf(content) : content.subject;
  doc.font('B').fontSize(20).text(title, { align: 'center' });
  doc.moveDown(0.4);
  doc.font('R').fontSize(11).text(content.number, { align: 'center' });
  doc.moveDown(1);
  doc.font('R').fontSize(11).text(content.subject, { align: 'left' });
  doc.moveDown(0.6);
  for (const s of content.sections) section(doc, s, width);
  doc.moveDown(1);
  doc.font('R').fontSize(11).text(`日期：${content.dateZh}`, { align: 'right' });

  doc.addPage();
  doc.font('B').fontSize(14).text('Summary (English)');
  doc.moveDown(0.5);
  doc.font('R').fontSize(10);
  for (const line of content.summaryEn) doc.text(line, { width }).moveDown(0.3);

  verificationSection(doc, verification, width);
  doc.end();
  return done;
}

function headingOf(c: DocumentContent): string {
  const titles: Record<string, string> = {
    committee_resolution: '投资决策委员会决议',
    exemption_determination: '尽职免责认定书',
    public_notice: '尽职免责认定结果公示',
    fund_evaluation: '基金全生命周期绩效评价报告',
  };
  return titles[c.kind];
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function section(doc: PDFKit.PDFDocument, s: DocumentSection, width: number): void {
  ensureSpace(doc, 60);
  doc.font('B').fontSize(12).text(s.heading, MARGIN, doc.y, { width });
  doc.moveDown(0.3);
  doc.font('R').fontSize(10.5);
  for (const p of s.paragraphs) {
    doc.text(p, MARGIN, doc.y, { width, lineGap: 2 });
    doc.moveDown(0.25);
  }
  if (s.table) table(doc, s.table, width);
  doc.moveDown(0.5);
}

function table(doc: PDFKit.PDFDocument, t: NonNullable<DocumentSection['table']>, width: number): void {
  const total = t.columns.reduce((a, c) => a + c.width, 0);
  const widths = t.columns.map((c) => (c.width / total) * width);
  const pad = 3;
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'B' : 'R').fontSize(9);
    const heights = cells.map((c, i) => doc.heightOfString(c || '—', { width: widths[i] - 2 * pad }));
    const h = Math.max(...heights) + 2 * pad;
    ensureSpace(doc, h);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.rect(x, y, widths[i], h).lineWidth(0.5).stroke('#888888');
      doc.fillColor('black').text(c || '—', x + pad, y + pad, { width: widths[i] - 2 * pad });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = y + h;
  };
  row(
    t.columns.map((c) => c.title),
    true,
  );
  for (const r of t.rows) row(r, false);
  doc.moveDown(0.3);
}

function verificationSection(doc: PDFKit.PDFDocument, v: VerificationBlock, width: number): void {
  const qr = qrcode(0, 'M');
  qr.addData(verificationLine(v), 'Byte');
  qr.make();
  const modules = qr.getModuleCount();
  const cell = Math.max(1.5, Math.min(3, 150 / modules));
  const size = modules * cell;
  ensureSpace(doc, size + 150);
  doc.moveDown(1);
  doc.font('B').fontSize(12).text('核验信息 Verification', MARGIN, doc.y, { width });
  doc.moveDown(0.3);
  const top = doc.y;
  doc.font('R').fontSize(8.5);
  const lines = [
    `文号 Number: ${v.number}`,
    `文件编号 Document id: ${v.documentId}`,
    v.caseId ? `项目编号 Case id: ${v.caseId}` : `基金编号 Fund id: ${v.fundId}`,
    `签发时记录链序号 Chain seq at issue: ${v.chainSeq}`,
    `签发时记录链哈希 Chain head hash at issue: ${v.chainHeadHash}`,
    `文件内容 SHA-256 (content before this block): ${v.contentSha256}`,
    '本文件内容摘要为其正文（本核验信息之前的全部内容）的规范 JSON 的 SHA-256；签发的 PDF 文件本身的 SHA-256 记录在项目的哈希链上。核验：npm run document:verify -- 文件.pdf，或 POST /api/documents/verify。',
  ];
  for (const l of lines) doc.text(l, MARGIN, doc.y, { width: width - size - 16 }).moveDown(0.2);
  const x0 = MARGIN + width - size;
  for (let r = 0; r < modules; r++)
    for (let c = 0; c < modules; c++) if (qr.isDark(r, c)) doc.rect(x0 + c * cell, top + r * cell, cell, cell);
  doc.fill('black');
}
