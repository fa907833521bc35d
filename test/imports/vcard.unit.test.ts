import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/modules/imports/formats/csv.js';
import {
  birthday,
  LineSplitter,
  parseProperty,
  unfold,
  VCARD_HEADER,
  VCARD_MAX_CARD_BYTES,
  VCARD_RECORD_ERRORS,
  VcardFormatError,
  vcardRecords,
} from '../../src/modules/imports/formats/vcard.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => path.join(fixtures, name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-vcard-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Buffer | string) => {
  const p = path.join(dir, `v${n++}.vcf`);
  fs.writeFileSync(p, bytes);
  return p;
};

/** Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining. */
function cp1258Form(text: string): string {
  const tones = /[\u0300\u0301\u0303\u0309\u0323]/g;
  return [...text]
    .map((ch) => {
      const d = ch.normalize('NFD');
      return d.replace(tones, '').normalize('NFC') + (d.match(tones) ?? []).join('');
    })
    .join('');
}

async function all(records: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

/** A data record as { column name: cell }, empty cells left out. */
function named(record: SourceRecord): Record<string, string> {
  const out: Record<string, string> = {};
  VCARD_HEADER.forEach((name, i) => {
    const cell = record.cells[i] ?? '';
    if (cell !== '') out[name] = cell;
  });
  return out;
}

async function cards(p: string) {
  const records = await all(vcardRecords(p));
  expect(records[0]).toEqual({ cells: [...VCARD_HEADER], line: 0 });
  return records.slice(1);
}

describe('vCard fixtures, one per source app', () => {
  it('Android 2.1: quoted-printable UTF-8 with soft line breaks, bare TYPE params, base64 photo skipped', async () => {
    const [hoa, duc, ...rest] = await cards(fixture('android-2.1.vcf'));
    expect(rest).toEqual([]);
    expect(hoa!.line).toBe(1);
    expect(named(hoa!)).toEqual({
      'Họ và tên': 'Nguyễn Thị Hoa',
      Họ: 'Nguyễn',
      'Tên đệm': 'Thị',
      Tên: 'Hoa',
      'Điện thoại 1': '0912 345 678',
      'Điện thoại 2': '024 3826 1234',
      'Email 1': 'hoa.nguyen@gmail.com',
      'Công ty': 'Cửa hàng Hoa Sen',
      'Chức danh': 'Chủ cửa hàng',
      'Địa chỉ': 'Số 12 Phố Huế, phường Hai Bà Trưng, Hà Nội, Việt Nam',
      'Ngày sinh': '1985-03-12',
      'Ghi chú': 'Khách quen\nGọi sau 17h',
    });
    // The photo (base64, folded, ended by a blank line) leaves nothing behind.
    expect(JSON.stringify(hoa)).not.toMatch(/AAEC|JPEG/);
    expect(duc!.line).toBe(33);
    expect(named(duc!)).toEqual({
      'Họ và tên': 'Trần Văn Đức',
      Họ: 'Trần',
      'Tên đệm': 'Văn',
      Tên: 'Đức',
      'Điện thoại 1': '+84987654321',
      'Điện thoại 2': '0283 822 1111',
      'Điện thoại 3': '0987 000 111',
    });
    // NFC, as everything the import compares.
    expect(duc!.cells[0]).toBe('Trần Văn Đức'.normalize('NFC'));
  });

  it('iPhone 3.0: grouped properties (item1.TEL), type=pref first, escapes, Apple birthday without year, folded photo', async () => {
    const [thuy, ...rest] = await cards(fixture('iphone-3.0.vcf'));
    expect(rest).toEqual([]);
    expect(named(thuy!)).toEqual({
      'Họ và tên': 'Lê Thị Thuỷ',
      Họ: 'Lê',
      'Tên đệm': 'Thị',
      Tên: 'Thuỷ',
      'Điện thoại 1': '0901 234 567',
      'Điện thoại 2': '+84 28 3822 5678',
      // The preferred address first.
      'Email 1': 'thuyle88@icloud.com',
      'Email 2': 'thuy.le@senvang.vn',
      'Công ty': 'Công ty TNHH Sen Vàng',
      'Chức danh': 'Trưởng phòng',
      'Địa chỉ': '45 Lê Lợi, phường Sài Gòn, Hồ Chí Minh, Việt Nam',
      'Ngày sinh': '--08-20',
      'Ghi chú': 'Gặp ở hội chợ\nQuan tâm gói Pro',
      'Trang web': 'https://senvang.vn',
    });
  });

  it('Google 3.0: a fold cutting a UTF-8 character, \\: \\, \\; escapes, extra emails joined into the last column', async () => {
    const [tuan, xyz] = await cards(fixture('google-3.0.vcf'));
    expect(named(tuan!)).toEqual({
      'Họ và tên': 'Phạm Minh Tuấn',
      Họ: 'Phạm',
      'Tên đệm': 'Minh',
      Tên: 'Tuấn',
      'Điện thoại 1': '0913 111 222',
      'Điện thoại 2': '(024) 3333 4444',
      'Email 1': 'tuan.pham@gmail.com',
      'Email 2': 'tuan@abc.com.vn',
      'Email 3': 'minhtuan79@yahoo.com; tuan.pm@outlook.com',
      'Công ty': 'Công ty Cổ phần ABC',
      'Chức danh': 'Giám đốc',
      'Địa chỉ': '18 Hoàng Diệu, Ba Đình, Hà Nội, Việt Nam',
      'Ngày sinh': '1979-11-02',
      'Ghi chú':
        'Khách hàng từ năm 2019, mua thiết bị văn phòng định kỳ mỗi quý; liên hệ qua thư điện tử trước khi gọi điện.',
      'Trang web': 'http://abc.com.vn',
    });
    // A company card: no name at all.
    expect(named(xyz!)).toEqual({ 'Email 1': 'info@congtyxyz.vn', 'Công ty': 'Công ty XYZ' });
  });

  it('Outlook 2.1: CHARSET=Windows-1258 raw and quoted-printable (CRLF inside the street), compact BDAY', async () => {
    const [lan, ...rest] = await cards(fixture('outlook-2.1.vcf'));
    expect(rest).toEqual([]);
    expect(named(lan!)).toEqual({
      'Họ và tên': 'Võ Thị Lan',
      Họ: 'Võ',
      'Tên đệm': 'Thị',
      Tên: 'Lan',
      'Điện thoại 1': '(0236) 3822 999',
      'Điện thoại 2': '0905 678 901',
      'Email 1': 'lan.vo@binhminh.com.vn',
      'Công ty': 'Công ty Xây dựng Bình Minh',
      'Chức danh': 'Kế toán trưởng',
      'Địa chỉ': 'Tầng 3, 120 Nguyễn Văn Linh, Phường Thạc Gián, Đà Nẵng, Việt Nam',
      'Ngày sinh': '1988-07-04',
    });
    // Windows-1258 writes tones as combining marks: the reader gives NFC.
    expect(lan!.cells[0]).toBe('Võ Thị Lan'.normalize('NFC'));
    expect(lan!.cells[0]!.normalize('NFC')).toBe(lan!.cells[0]);
  });

  it('Thunderbird 4.0 (LF line ends): PREF=1, quoted TYPE list, tel: URI, --MMDD birthday, extended address', async () => {
    const [bao] = await cards(fixture('thunderbird-4.0.vcf'));
    expect(named(bao!)).toEqual({
      'Họ và tên': 'Đặng Quốc Bảo',
      Họ: 'Đặng',
      'Tên đệm': 'Quốc',
      Tên: 'Bảo',
      'Điện thoại 1': '0988 777 666',
      'Điện thoại 2': '+84-24-3999-8888',
      'Email 1': 'bao.dang@nganhangviet.vn',
      'Email 2': 'quocbao@yahoo.com',
      'Công ty': 'Ngân hàng Việt',
      'Chức danh': 'Chuyên viên quan hệ khách hàng',
      'Địa chỉ': 'Tầng 5, 25 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội, Việt Nam',
      'Ngày sinh': '--03-15',
      'Ghi chú': 'Ưu tiên liên hệ buổi sáng.\nĐã ký hợp đồng 2025.',
      'Trang web': 'https://nganhangviet.vn',
    });
  });
});

describe('vCard syntax', () => {
  it('TYPE parameters in all their spellings', () => {
    for (const line of [
      'TEL;CELL:1',
      'TEL;TYPE=CELL:1',
      'TEL;type=cell;type=voice:1',
      'TEL;TYPE="cell,voice":1',
      'TEL;TYPE=cell,voice:1',
      'item1.TEL;type=CELL:1',
    ]) {
      const prop = parseProperty(line);
      expect(prop?.name, line).toBe('TEL');
      expect(prop?.types.has('cell'), line).toBe(true);
      expect(prop?.raw, line).toBe('1');
    }
    expect(parseProperty('TEL;PREF=1:1')?.types.has('pref')).toBe(true);
    expect(parseProperty('ADR;QUOTED-PRINTABLE:x')?.params.get('ENCODING')).toEqual([
      'QUOTED-PRINTABLE',
    ]);
    // A colon inside a quoted parameter value is not the value's start.
    expect(parseProperty('ADR;LABEL="a: b";TYPE=work:;;street')?.raw).toBe(';;street');
    expect(parseProperty('no colon here')).toBeNull();
  });

  it('unfolds 3.0/4.0 continuations and 2.1 soft line breaks, blank lines dropped', () => {
    expect(
      unfold([
        'NOTE:one',
        ' two',
        '\tthree',
        '',
        'FN;ENCODING=QUOTED-PRINTABLE:a=',
        ' b=',
        'c',
        'TEL:1=',
        'EMAIL:x',
      ]),
    ).toEqual(['NOTE:onetwothree', 'FN;ENCODING=QUOTED-PRINTABLE:a bc', 'TEL:1=', 'EMAIL:x']);
  });

  it('birthdays', () => {
    expect(birthday('1990-05-17')).toBe('1990-05-17');
    expect(birthday('19900517')).toBe('1990-05-17');
    expect(birthday('1990-05-17T00:00:00Z')).toBe('1990-05-17');
    expect(birthday('--0517')).toBe('--05-17');
    expect(birthday('--05-17')).toBe('--05-17');
    expect(birthday('1604-05-17', '1604')).toBe('--05-17');
    expect(birthday('1990-13-40')).toBe('1990-13-40');
    expect(birthday('sinh nhật tháng 5')).toBe('sinh nhật tháng 5');
  });

  it('the line splitter never keeps more than its limit of one line', () => {
    const lines: [string, boolean][] = [];
    const splitter = new LineSplitter(10, (line, overflow) => lines.push([line, overflow]));
    splitter.push(Buffer.from('short\r\nthis line is'));
    splitter.push(Buffer.from(' far too long\nok'));
    splitter.end();
    expect(lines).toEqual([
      ['short', false],
      ['', true],
      ['ok', false],
    ]);
  });
});

describe('vCard bad input', () => {
  it('an empty file, or blank lines only, yields nothing', async () => {
    expect(await all(vcardRecords(file('')))).toEqual([]);
    expect(await all(vcardRecords(file('\r\n\r\n  \n')))).toEqual([]);
  });

  it('a file that is not a vCard is refused with the line', async () => {
    const err = await all(vcardRecords(file('Họ và tên,SĐT\nAn,0912345678\n'))).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VcardFormatError);
    expect(err).toMatchObject({ reason: 'not_vcard', line: 1 });
    const binary = await all(vcardRecords(file(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0])))).catch(
      (e: unknown) => e,
    );
    expect(binary).toBeInstanceOf(VcardFormatError);
  });

  it('a card without END is a bad record; the cards around it are read', async () => {
    const p = file(
      'BEGIN:VCARD\nVERSION:3.0\nFN:An\nBEGIN:VCARD\nVERSION:3.0\nFN:Bình\nEND:VCARD\n' +
        'BEGIN:VCARD\nVERSION:3.0\nFN:Cường\n',
    );
    const records = await all(vcardRecords(p));
    expect(records.slice(1)).toEqual([
      { cells: [], line: 1, error: 'card_unterminated' },
      expect.objectContaining({ line: 4 }),
      { cells: [], line: 8, error: 'card_unterminated' },
    ]);
    expect(records[2]!.cells[0]).toBe('Bình');
    expect(VCARD_RECORD_ERRORS.card_unterminated.vi).toContain('END:VCARD');
  });

  it('a card over 1 MB (a huge photo, folded or in one line) is skipped as a bad record', async () => {
    const folded = Array.from(
      { length: Math.ceil((VCARD_MAX_CARD_BYTES * 1.5) / 76) },
      () => ' ' + 'A'.repeat(75),
    ).join('\r\n');
    const oneLine = 'B'.repeat(VCARD_MAX_CARD_BYTES * 3);
    const p = file(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ảnh lớn\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\n' +
        folded +
        '\r\nEND:VCARD\r\n' +
        'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Một dòng\r\nPHOTO;ENCODING=b:' +
        oneLine +
        '\r\nEND:VCARD\r\n' +
        'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nhỏ\r\nEND:VCARD\r\n',
    );
    const records = await all(vcardRecords(p));
    expect(records.slice(1).map((r) => [r.line, r.error ?? r.cells[0]])).toEqual([
      [1, 'card_too_large'],
      [expect.any(Number), 'card_too_large'],
      [expect.any(Number), 'Nhỏ'],
    ]);
    expect(records[1]!.cells).toEqual([]);
  });

  it('a value invalid in its charset, or an unknown charset, makes a bad record, never mojibake', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('BEGIN:VCARD\nVERSION:2.1\nFN:'),
      Buffer.from('Ren\xe9 \xc0 ', 'latin1'),
      Buffer.from('\nEND:VCARD\nBEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=X-NOPE:a\nEND:VCARD\n'),
      Buffer.from('BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1:'),
      Buffer.from('Ren\xe9', 'latin1'),
      Buffer.from('\nEND:VCARD\n'),
    ]);
    const records = await all(vcardRecords(file(latin1)));
    expect(records.slice(1).map((r) => r.error ?? r.cells[0])).toEqual([
      'card_encoding',
      'card_encoding',
      'René',
    ]);
  });

  it('a UTF-16 file with BOM, a UTF-8 BOM, and an 8-bit Windows-1258 file without CHARSET', async () => {
    const text =
      'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Nguyễn;Hồng;Thị;;\r\n' +
      'ADR;HOME:;;Số 5 phố Tràng Tiền;Hà Nội;;;Việt Nam\r\nEND:VCARD\r\n';
    for (const bytes of [
      iconv.encode(text, 'utf16le', { addBOM: true }),
      iconv.encode(text, 'utf16be', { addBOM: true }),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      iconv.encode(cp1258Form(text), 'windows1258'),
    ]) {
      const [, card] = await all(vcardRecords(file(bytes)));
      expect(named(card!)).toMatchObject({
        'Họ và tên': 'Nguyễn Thị Hồng',
        Tên: 'Hồng',
        'Địa chỉ': 'Số 5 phố Tràng Tiền, Hà Nội, Việt Nam',
      });
    }
  });

  it('stops reading when the consumer stops', async () => {
    const many = 'BEGIN:VCARD\nFN:A\nEND:VCARD\n'.repeat(50_000);
    let seen = 0;
    for await (const _ of vcardRecords(file(many))) {
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
  });
});
