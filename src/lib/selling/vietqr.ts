/**
 * VietQR: the NAPAS 247 bank-transfer QR code (EMVCo merchant-presented QR) printed on an invoice,
 * so a customer's banking app fills in the bank, account, amount and transfer note.
 *
 * The payload is built by `vietnam-qr-pay` (MIT): tags 00 "01" (format), 01 "12" (dynamic: it
 * carries an amount) or "11" (static), 38 the NAPAS consumer account (00 GUID "A000000727",
 * 01 { 00 bank BIN, 01 account number }, 02 service "QRIBFTTA": transfer to an account), 53 "704"
 * (VND), 54 the amount, 58 "VN", 62 { 08 the transfer note }, 63 the CRC16-CCITT (poly 0x1021,
 * initial 0xFFFF) of everything before it, "6304" included.
 *
 * Transfer notes are plain ASCII in practice (banks strip or reject diacritics), so
 * `transferNote` folds Vietnamese to ASCII ("Hoá đơn" → "Hoa don"), keeps letters, digits, space
 * and "-._/", and cuts to 25 characters (the EMVCo limit of tag 62/08).
 */
import QRCode from 'qrcode';
import { Banks, QRPay, VietQRStatus } from 'vietnam-qr-pay';
import { fail, ok, type Result } from '../vn/result.js';

export type VietQrError =
  'bank_bin_invalid' | 'account_number_invalid' | 'amount_invalid' | 'note_invalid';

export interface VietQrInput {
  /** The bank's 6-digit NAPAS BIN, e.g. "970436" (Vietcombank); see `vietQrBanks`. */
  bankBin: string;
  /** The beneficiary account number: 1–19 letters or digits. */
  accountNumber: string;
  /** Integer đồng > 0 (at most 13 digits); omitted → a static code (the payer types the amount). */
  amount?: number;
  /** The transfer note, e.g. the invoice number; folded by `transferNote`. */
  note?: string;
}

export interface VietQrBank {
  bin: string;
  /** The bank's short name as apps show it ("Vietcombank", "MB Bank"). */
  shortName: string;
  /** The bank's code ("VCB", "MBB"). */
  code: string;
  /** The full Vietnamese name ("Ngân hàng TMCP Ngoại Thương Việt Nam"). */
  name: string;
}

/**
 * Banks that accept VietQR transfers, from vietnam-qr-pay's copy of the NAPAS list, sorted by short
 * name. For a bank picker in the workspace settings.
 */
export const vietQrBanks: readonly VietQrBank[] = Banks.filter(
  (b) => b.vietQRStatus === VietQRStatus.TRANSFER_SUPPORTED && !b.deprecated,
)
  .map((b) => ({ bin: b.bin, shortName: b.shortName, code: b.code, name: b.name }))
  .sort((a, b) => a.shortName.localeCompare(b.shortName, 'vi'));

/** The bank with that BIN, or undefined. */
export function vietQrBank(bin: string): VietQrBank | undefined {
  return vietQrBanks.find((b) => b.bin === bin);
}

const NOTE_MAX = 25;

/** A transfer note banks accept: ASCII letters, digits, space and "-._/", at most 25 characters. */
export function transferNote(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ._/-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, NOTE_MAX)
    .trim();
}

/** The EMVCo payload string to encode in the QR code, or why it cannot be made. */
export function vietQrPayload(input: VietQrInput): Result<string, VietQrError> {
  if (!/^\d{6}$/.test(input.bankBin)) return fail('bank_bin_invalid');
  if (!/^[A-Za-z0-9]{1,19}$/.test(input.accountNumber)) return fail('account_number_invalid');
  if (
    input.amount !== undefined &&
    (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount >= 1e13)
  ) {
    return fail('amount_invalid');
  }
  const note = input.note === undefined ? undefined : transferNote(input.note);
  if (note === '') return fail('note_invalid');
  const qr = QRPay.initVietQR({
    bankBin: input.bankBin,
    bankNumber: input.accountNumber,
    ...(input.amount !== undefined ? { amount: String(input.amount) } : {}),
    ...(note !== undefined ? { purpose: note } : {}),
  });
  return ok(qr.build());
}

export interface QrImageOptions {
  /** Width of the PNG in pixels (default 300). */
  size?: number;
  /** Quiet zone in modules (default 2). */
  margin?: number;
}

/** The payload as a PNG (error correction M). */
export function qrPng(payload: string, options: QrImageOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(payload, {
    type: 'png',
    errorCorrectionLevel: 'M',
    width: options.size ?? 300,
    margin: options.margin ?? 2,
  });
}

/** The payload as an SVG document (error correction M). */
export function qrSvg(payload: string, options: QrImageOptions = {}): Promise<string> {
  return QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: options.margin ?? 2,
    ...(options.size ? { width: options.size } : {}),
  });
}
