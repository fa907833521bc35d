import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/modules/imports/formats/csv.js';
import {
  DocxFormatError,
  docxRecords,
  docxTables,
  MAX_ROW_CELLS,
} from '../../src/modules/imports/formats/docx.js';
import { ZipRefused } from '../../src/modules/imports/formats/zip.js';
import { zipEntries } from '../support/zip.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-docx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Buffer) => {
  const p = path.join(dir, `d${n++}.docx`);
  fs.writeFileSync(p, bytes);
  return p;
};

async function all(records: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';

const rels = (target: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/>` +
  '</Relationships>';

const NS =
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="w14 wps"';

const document = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
  `<w:document ${NS}><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`;

/** A run of text as Word writes it (rsid attributes, run properties, preserved spaces). */
const run = (text: string) =>
  `<w:r w:rsidRPr="00A1B2C3"><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:lang w:val="vi-VN"/></w:rPr><w:t xml:space="preserve">${text}</w:t></w:r>`;
const para = (...runs: string[]) =>
  `<w:p w14:paraId="1A2B3C4D" w:rsidR="00A1B2C3"><w:pPr><w:spacing w:after="0"/></w:pPr>${runs.join('')}</w:p>`;
const cell = (content: string, props = '') =>
  `<w:tc><w:tcPr><w:tcW w:w="1800" w:type="dxa"/>${props}</w:tcPr>${content}</w:tc>`;
const textCell = (text: string, props = '') => cell(para(run(text)), props);
const row = (cells: string, props = '') =>
  `<w:tr w:rsidR="00B4C5D6">${props ? `<w:trPr>${props}</w:trPr>` : ''}${cells}</w:tr>`;
const table = (rows: string) =>
  '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>' +
  '<w:tblGrid><w:gridCol w:w="700"/><w:gridCol w:w="2500"/><w:gridCol w:w="1800"/><w:gridCol w:w="1800"/><w:gridCol w:w="2500"/><w:gridCol w:w="2000"/></w:tblGrid>' +
  `${rows}</w:tbl>`;

function docx(body: string, documentName = 'word/document.xml'): Buffer {
  return zipEntries({
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': rels(documentName),
    [documentName]: document(body),
    'docProps/app.xml': '<?xml version="1.0"?><Properties/>',
  });
}

const signedBy = table(
  row(textCell('Người lập') + textCell('Trần Thu Hà')) +
    row(textCell('Ngày') + textCell('05/01/2026')),
);

const customers = table(
  row(
    ['STT', 'Họ và tên', 'Số điện thoại', 'Email', 'Địa chỉ', 'Ghi chú']
      .map((t) => textCell(t))
      .join(''),
    '<w:tblHeader/>',
  ) +
    row(
      textCell('1') +
        textCell('Nguyễn Văn An') +
        textCell('0912 345 678') +
        // A hyperlink: its runs are the text; the field code and deleted text are not.
        cell(
          para(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:an@x.vn" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            run('an@x.vn'),
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
          ),
        ) +
        // Two paragraphs, and an empty last one (Enter pressed at the end).
        cell(para(run('Số 1 Tràng Tiền')) + para(run('Hoàn Kiếm, Hà Nội')) + para()) +
        // Tab stops in the paragraph's properties are not tabs; a tab and a line break are.
        cell(
          '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>' +
            run('Khách VIP') +
            '<w:r><w:tab/><w:t>ưu tiên</w:t><w:br/><w:t>gọi trước</w:t></w:r>' +
            '<w:del w:id="1" w:author="Hà"><w:r><w:delText>cũ</w:delText></w:r></w:del></w:p>',
        ),
    ) +
    row(
      textCell('2') +
        // Decomposed (NFD) text from a Mac: read as NFC.
        textCell('Trần Thị Bình'.normalize('NFD')) +
        textCell('Chưa có liên hệ', '<w:gridSpan w:val="2"/>') +
        textCell('Khu công nghiệp Tiên Sơn, Bắc Ninh', '<w:vMerge w:val="restart"/>') +
        // A table nested in a cell: its text belongs to the cell.
        cell(table(row(textCell('a') + textCell('b'))) + para(run('Đại lý cấp 1'))),
    ) +
    row(
      textCell('3') +
        textCell('Lê Văn Cường') +
        textCell('0987 654 321') +
        textCell('c@y.vn') +
        // A vertical merge's continuation is empty, whatever it holds.
        textCell('(xem trên)', '<w:vMerge/>') +
        textCell('Đã gặp'),
    ) +
    row(['', '', '', '', '', ''].map((t) => textCell(t)).join('')) +
    row(
      textCell('Phạm Thị Dung') + textCell('0903 111 222') + textCell('dung@z.vn'),
      '<w:gridBefore w:val="1"/><w:wBefore w:w="700" w:type="dxa"/>',
    ) +
    row(
      textCell('5') +
        // A content control around a cell.
        '<w:sdt><w:sdtPr><w:alias w:val="Tên"/></w:sdtPr><w:sdtContent>' +
        textCell('Đỗ Minh Em') +
        '</w:sdtContent></w:sdt>' +
        cell(
          para(
            '<w:hyperlink r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
              run('0911 222 333') +
              '</w:hyperlink>',
          ),
        ) +
        textCell('') +
        textCell('Công ty A &amp; B &lt;Hà Nội&gt;'),
    ),
);

/** A text box holding a table: Word writes it twice (DrawingML and a VML fallback). */
const textBoxTable = table(
  row(
    // Inside a run: tab stops there are still no tab characters.
    cell(
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>' +
        run('Hộp') +
        '</w:p>',
    ) + textCell('văn bản'),
  ),
);
const textBox =
  '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>' +
  textBoxTable +
  para() +
  '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>' +
  textBoxTable +
  para() +
  '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>';

const BODY =
  para(run('DANH SÁCH KHÁCH HÀNG QUÝ I/2026')) +
  signedBy +
  para() +
  customers +
  textBox +
  para(run('Tổng cộng: 5 khách hàng'));

describe('Word tables', () => {
  it('lists the tables with their row counts and first rows', async () => {
    const p = file(docx(BODY));
    const tables = await docxTables(p);
    expect(tables.map((t) => [t.index, t.rows])).toEqual([
      [0, 2],
      [1, 6],
      [2, 1],
    ]);
    expect(tables[0]!.sample).toEqual([
      { cells: ['Người lập', 'Trần Thu Hà'], line: 1 },
      { cells: ['Ngày', '05/01/2026'], line: 2 },
    ]);
    expect(tables[2]!.sample).toEqual([{ cells: ['Hộp', 'văn bản'], line: 1 }]);
    expect((await docxTables(p, 2))[1]!.sample).toHaveLength(2);
  });

  it('streams one table: paragraphs, tabs, breaks, merged cells lined up, NFC, entities', async () => {
    const rows = await all(docxRecords(file(docx(BODY)), 1));
    expect(rows).toEqual([
      { cells: ['STT', 'Họ và tên', 'Số điện thoại', 'Email', 'Địa chỉ', 'Ghi chú'], line: 1 },
      {
        cells: [
          '1',
          'Nguyễn Văn An',
          '0912 345 678',
          'an@x.vn',
          'Số 1 Tràng Tiền\nHoàn Kiếm, Hà Nội',
          'Khách VIP ưu tiên\ngọi trước',
        ],
        line: 2,
      },
      {
        cells: [
          '2',
          'Trần Thị Bình',
          'Chưa có liên hệ',
          '',
          'Khu công nghiệp Tiên Sơn, Bắc Ninh',
          'a\nb\nĐại lý cấp 1',
        ],
        line: 3,
      },
      { cells: ['3', 'Lê Văn Cường', '0987 654 321', 'c@y.vn', '', 'Đã gặp'], line: 4 },
      // Row 5 is empty: not yielded, still counted.
      { cells: ['', 'Phạm Thị Dung', '0903 111 222', 'dung@z.vn'], line: 6 },
      { cells: ['5', 'Đỗ Minh Em', '0911 222 333', '', 'Công ty A & B <Hà Nội>'], line: 7 },
    ]);
    expect(rows[2]!.cells[1]).toBe('Trần Thị Bình'.normalize('NFC'));
  });

  it('the other tables, and one that does not exist', async () => {
    const p = file(docx(BODY));
    expect((await all(docxRecords(p, 0))).map((r) => r.cells)).toEqual([
      ['Người lập', 'Trần Thu Hà'],
      ['Ngày', '05/01/2026'],
    ]);
    expect((await all(docxRecords(p, 2))).map((r) => r.cells)).toEqual([['Hộp', 'văn bản']]);
    expect(await all(docxRecords(p, 3))).toEqual([]);
  });

  it('finds the main document through the package relationships (word/document2.xml)', async () => {
    const p = file(docx(signedBy, 'word/document2.xml'));
    expect((await docxTables(p)).map((t) => t.rows)).toEqual([2]);
  });
});

describe('Word bad input', () => {
  it('a document without tables has none', async () => {
    const p = file(docx(para(run('Chỉ có chữ, không có bảng.'))));
    expect(await docxTables(p)).toEqual([]);
    expect(await all(docxRecords(p, 0))).toEqual([]);
  });

  it('a zip bomb is refused by inspectZip before any XML is read', async () => {
    const bomb = zipEntries({
      '_rels/.rels': rels('word/document.xml'),
      'word/document.xml': Buffer.alloc(50 * 1024 * 1024, 0x20),
    });
    const p = file(bomb);
    await expect(docxTables(p)).rejects.toBeInstanceOf(ZipRefused);
    await expect(all(docxRecords(p, 0))).rejects.toMatchObject({ reason: 'bomb' });
  });

  it('not a zip, and a zip that is not a Word document', async () => {
    await expect(docxTables(file(Buffer.from('Họ tên,SĐT\n')))).rejects.toMatchObject({
      reason: 'not_zip',
    });
    const xlsxLike = zipEntries({ 'xl/workbook.xml': '<workbook/>' });
    await expect(docxTables(file(xlsxLike))).rejects.toMatchObject({ reason: 'not_docx' });
  });

  it('a DOCTYPE (entity expansion) is refused, never expanded', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      `<w:document ${NS}><w:body>${table(row(textCell('&lol2;')))}</w:body></w:document>`;
    const p = file(zipEntries({ 'word/document.xml': laughs }));
    const err = await docxTables(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocxFormatError);
    expect(err).toMatchObject({ reason: 'doctype' });
    // Without a DOCTYPE, an undefined entity is an XML error, not text.
    const undefinedEntity = document(table(row(textCell('&lol;'))));
    const q = file(zipEntries({ 'word/document.xml': undefinedEntity }));
    await expect(docxTables(q)).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('broken XML is a format error', async () => {
    const cut = document(customers).slice(0, 2000);
    const p = file(zipEntries({ 'word/document.xml': cut }));
    await expect(all(docxRecords(p, 0))).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('a forged gridSpan cannot blow a row up', async () => {
    const wide = textCell('x', '<w:gridSpan w:val="999999"/>').repeat(
      Math.ceil(MAX_ROW_CELLS / 64) + 1,
    );
    const p = file(docx(table(row(wide))));
    await expect(docxTables(p)).rejects.toMatchObject({ reason: 'row_too_long' });
    // A span is capped at 64 columns.
    const q = file(docx(table(row(textCell('x', '<w:gridSpan w:val="999999"/>') + textCell('y')))));
    const [only] = await all(docxRecords(q, 0));
    expect(only!.cells).toHaveLength(65);
    expect(only!.cells[64]).toBe('y');
  });
});
