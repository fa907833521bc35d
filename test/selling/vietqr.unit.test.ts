import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import {
  qrPng,
  qrSvg,
  transferNote,
  vietQrBank,
  vietQrBanks,
  vietQrPayload,
  type VietQrInput,
} from '../../src/lib/selling/vietqr.js';

// jsqr is CommonJS whose types say `export default`: under NodeNext the default import is the
// module object for the type checker, the function itself at run time.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

/** EMVCo TLV: two-digit tag, two-digit length, value; in order. */
function tlv(s: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < s.length) {
    const tag = s.slice(i, i + 2);
    const len = Number(s.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(tag) || !Number.isInteger(len)) throw new Error(`bad TLV at ${i}: ${s}`);
    const value = s.slice(i + 4, i + 4 + len);
    if (value.length !== len) throw new Error(`truncated TLV at ${i}: ${s}`);
    out.push([tag, value]);
    i += 4 + len;
  }
  return out;
}

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor. */
function crc16(s: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(s, 'utf8')) {
    crc ^= byte << 8;
    for (let b = 0; b < 8; b++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function payload(input: VietQrInput): string {
  const r = vietQrPayload(input);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

/** Checks every NAPAS field of a payload and returns them. */
function checkNapas(p: string) {
  const fields = tlv(p);
  const map = new Map(fields);
  expect(fields[0]).toEqual(['00', '01']);
  expect(fields.at(-1)?.[0]).toBe('63');
  // CRC over everything up to and including "6304".
  expect(p.slice(-8, -4)).toBe('6304');
  expect(map.get('63')).toBe(crc16(p.slice(0, -4)));
  expect(map.get('53')).toBe('704');
  expect(map.get('58')).toBe('VN');
  const consumer = new Map(tlv(map.get('38') ?? ''));
  expect(consumer.get('00')).toBe('A000000727');
  expect(consumer.get('02')).toBe('QRIBFTTA');
  const account = new Map(tlv(consumer.get('01') ?? ''));
  return {
    init: map.get('01'),
    bin: account.get('00'),
    account: account.get('01'),
    amount: map.get('54'),
    note: map.has('62') ? new Map(tlv(map.get('62') ?? '')).get('08') : undefined,
  };
}

describe('VietQR payload', () => {
  it('carries the BIN, account, amount and note as NAPAS fields, with a correct CRC', () => {
    const p = payload({
      bankBin: '970436',
      accountNumber: '0011001234567',
      amount: 1_298_350,
      note: 'HD-2026-0001',
    });
    expect(checkNapas(p)).toEqual({
      init: '12',
      bin: '970436',
      account: '0011001234567',
      amount: '1298350',
      note: 'HD-2026-0001',
    });
    // The library's own parser agrees (and checks the CRC too).
    const parsed = new QRPay(p);
    expect(parsed.isValid).toBe(true);
    expect(parsed.consumer.bankBin).toBe('970436');
    expect(parsed.amount).toBe('1298350');
  });

  it('is static (01 = 11) with no amount and no note', () => {
    const p = payload({ bankBin: '970422', accountNumber: '123456789' });
    expect(checkNapas(p)).toMatchObject({ init: '11', amount: undefined, note: undefined });
  });

  it('a wrong CRC is detected by the check above (the test can fail)', () => {
    const p = payload({ bankBin: '970436', accountNumber: '1', amount: 1000, note: 'x' });
    const tampered = p.replace('54041000', '54041001');
    expect(tampered).not.toBe(p);
    expect(crc16(tampered.slice(0, -4))).not.toBe(tampered.slice(-4));
  });

  it('folds the note to ASCII and 25 characters', () => {
    expect(transferNote('Thanh toán hoá đơn HĐ-2026/0001')).toBe('Thanh toan hoa don HD-202');
    expect(transferNote('  Đông Á  #12  ')).toBe('Dong A 12');
    const p = payload({ bankBin: '970436', accountNumber: '1', amount: 5, note: 'Hoá đơn số 7' });
    expect(checkNapas(p).note).toBe('Hoa don so 7');
  });

  it.each<[string, VietQrInput, string]>([
    ['a BIN of 5 digits', { bankBin: '97043', accountNumber: '1' }, 'bank_bin_invalid'],
    [
      'an account with a space',
      { bankBin: '970436', accountNumber: '001 1' },
      'account_number_invalid',
    ],
    [
      'an account of 20 digits',
      { bankBin: '970436', accountNumber: '1'.repeat(20) },
      'account_number_invalid',
    ],
    ['a zero amount', { bankBin: '970436', accountNumber: '1', amount: 0 }, 'amount_invalid'],
    [
      'a fractional amount',
      { bankBin: '970436', accountNumber: '1', amount: 1.5 },
      'amount_invalid',
    ],
    [
      'a 14-digit amount',
      { bankBin: '970436', accountNumber: '1', amount: 1e13 },
      'amount_invalid',
    ],
    [
      'a note of symbols only',
      { bankBin: '970436', accountNumber: '1', note: '###' },
      'note_invalid',
    ],
  ])('refuses %s', (_name, input, reason) => {
    expect(vietQrPayload(input)).toEqual({ ok: false, reason });
  });

  it('lists the common banks with their BINs', () => {
    expect(vietQrBanks.length).toBeGreaterThan(30);
    expect(vietQrBank('970436')?.shortName).toBe('Vietcombank');
    expect(vietQrBank('970415')?.shortName).toBe('VietinBank');
    expect(vietQrBank('970418')?.shortName).toBe('BIDV');
    expect(vietQrBank('970405')?.shortName).toBe('Agribank');
    expect(vietQrBank('970407')?.code).toBe('TCB');
    expect(vietQrBank('970422')?.shortName).toBe('MB Bank');
    for (const b of vietQrBanks) expect(b.bin).toMatch(/^\d{6}$/);
    expect(new Set(vietQrBanks.map((b) => b.bin)).size).toBe(vietQrBanks.length);
  });
});

describe('VietQR image', () => {
  it('the PNG decodes back to the payload with a real QR decoder', async () => {
    const p = payload({
      bankBin: '970418',
      accountNumber: '21510001234567',
      amount: 21_000_000_000,
      note: 'HD-2026-0042',
    });
    const png = await qrPng(p, { size: 320 });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const image = PNG.sync.read(png);
    expect(image.width).toBe(320);
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(p);
    expect(checkNapas(decoded?.data ?? '')).toMatchObject({ bin: '970418', amount: '21000000000' });
  });

  it('also renders as SVG', async () => {
    const svg = await qrSvg(payload({ bankBin: '970436', accountNumber: '1', amount: 1000 }));
    expect(svg).toMatch(/^<svg[^>]+viewBox/);
    expect(svg).toContain('<path');
  });
});
