import { vietQrBank, vietQrBanks, type VietQrBank } from '../../lib/selling/vietqr.js';

/**
 * The banks a workspace's account may be at: those that accept VietQR transfers, from the
 * VietQR helper's list (src/lib/selling/vietqr.ts: NAPAS BINs via vietnam-qr-pay), so every
 * account saved here can be printed as a VietQR code.
 */
export type VietnameseBank = VietQrBank;
export const vietnameseBanks: readonly VietnameseBank[] = vietQrBanks;
export const bankByBin = (bin: string): VietnameseBank | undefined => vietQrBank(bin);
