import { describe, expect, it } from 'vitest';
import { formatVnd, parseVnd } from '../../src/lib/vn/money.js';

const NBSP = '\u00a0';

describe('parseVnd', () => {
  it.each([
    ['1500000', 1_500_000],
    ['1.500.000', 1_500_000],
    ['1,500,000', 1_500_000],
    ['1.500', 1_500],
    ['1,500', 1_500],
    ['999', 999],
    ['0', 0],
    ['1 500 000', 1_500_000],
    ['1500000 ₫', 1_500_000],
    [`1.500.000${NBSP}₫`, 1_500_000],
    ['₫1,500,000', 1_500_000],
    ['1.500.000đ', 1_500_000],
    ['1.500.000 Đ', 1_500_000],
    ['1.500.000 VND', 1_500_000],
    ['1.500.000 VNĐ', 1_500_000],
    ['VND 1,500,000', 1_500_000],
    ['1.500.000 đồng', 1_500_000],
    ['1.500.000 đ\u00f4\u0300ng'.normalize('NFD'), 1_500_000],
    ['1500000.00', 1_500_000],
    ['1500000,00', 1_500_000],
    ['1.500.000,00', 1_500_000],
    ['1,500,000.00', 1_500_000],
    ['1,500,000.0 ₫', 1_500_000],
    ['  25.000  ', 25_000],
    ['9.007.199.254.740.991', Number.MAX_SAFE_INTEGER],
  ])('%j -> %d', (input, value) => {
    expect(parseVnd(input)).toEqual({ ok: true, value });
  });

  it.each([
    [1_500_000, 1_500_000],
    [0, 0],
    [-0, 0],
  ])('the number %d -> %d', (input, value) => {
    expect(parseVnd(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['1.5', 'fractional_amount'],
    ['1,5', 'fractional_amount'],
    ['1500000.50', 'fractional_amount'],
    ['1.500.000,50', 'fractional_amount'],
    ['1,500,000.5', 'fractional_amount'],
    ['1.5tr', 'invalid_amount'], // shorthands are not accepted
    ['1,5 triệu', 'invalid_amount'],
    ['500k', 'invalid_amount'],
    ['2 tỷ', 'invalid_amount'],
    ['1.50.000', 'invalid_amount'],
    ['1.500,000', 'invalid_amount'],
    ['1500.000', 'invalid_amount'], // not grouping (4 digits first) and not a decimal part
    ['1500000.000', 'invalid_amount'],
    ['1,500.000.00', 'invalid_amount'],
    ['1..500', 'invalid_amount'],
    ['.500', 'invalid_amount'],
    ['1500.', 'invalid_amount'],
    ['abc', 'invalid_amount'],
    ['₫', 'invalid_amount'],
    ['$1,500', 'invalid_amount'],
    ['1e6', 'invalid_amount'],
    ['0x10', 'invalid_amount'],
    ['+1500', 'invalid_amount'],
    ['99999999999999999999', 'invalid_amount'],
    ['-1.500.000', 'negative_amount'],
    ['-1.500.000 ₫', 'negative_amount'],
  ])('rejects %j: %s', (input, reason) => {
    expect(parseVnd(input)).toEqual({ ok: false, reason });
  });

  it.each([
    [1.5, 'fractional_amount'],
    [Number.NaN, 'invalid_amount'],
    [Number.POSITIVE_INFINITY, 'invalid_amount'],
    [2 ** 60, 'invalid_amount'],
    [-1, 'negative_amount'],
  ])('rejects the number %d: %s', (input, reason) => {
    expect(parseVnd(input)).toEqual({ ok: false, reason });
  });

  it('accepts negative amounts when asked', () => {
    expect(parseVnd('-1.500.000 ₫', { allowNegative: true })).toEqual({
      ok: true,
      value: -1_500_000,
    });
    expect(parseVnd('₫-1,500', { allowNegative: true })).toEqual({ ok: true, value: -1_500 });
    expect(parseVnd('-₫1,500', { allowNegative: true })).toEqual({ ok: true, value: -1_500 });
    expect(parseVnd(-20_000, { allowNegative: true })).toEqual({ ok: true, value: -20_000 });
    expect(parseVnd('--1', { allowNegative: true })).toEqual({
      ok: false,
      reason: 'invalid_amount',
    });
  });
});

describe('formatVnd', () => {
  it('formats for Vietnamese with dots and the đồng sign after', () => {
    expect(formatVnd(1_500_000)).toBe(`1.500.000${NBSP}₫`);
    expect(formatVnd(1_500_000, 'vi-VN')).toBe(`1.500.000${NBSP}₫`);
    expect(formatVnd(1_500_000, 'vi')).toBe(`1.500.000${NBSP}₫`);
    expect(formatVnd(0, 'vi')).toBe(`0${NBSP}₫`);
  });

  it('formats for English with commas and the sign before', () => {
    expect(formatVnd(1_500_000, 'en-US')).toBe('₫1,500,000');
    expect(formatVnd(1_500_000, 'en')).toBe('₫1,500,000');
  });

  it('round-trips through parseVnd', () => {
    for (const n of [0, 999, 25_000, 1_500_000, 12_345_678_900]) {
      for (const locale of ['vi', 'en']) {
        expect(parseVnd(formatVnd(n, locale))).toEqual({ ok: true, value: n });
      }
    }
  });
});
