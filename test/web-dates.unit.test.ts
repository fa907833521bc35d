import { describe, expect, it } from 'vitest';
import { parseVnDate } from '../web/src/lib/dates.js';

/** The record form's date pickers take dates the way Vietnamese people type them: day first. */
describe('parseVnDate', () => {
  it('reads day/month/year with any of the usual separators', () => {
    expect(parseVnDate('05/03/1990')).toBe('1990-03-05');
    expect(parseVnDate('5/3/1990')).toBe('1990-03-05');
    expect(parseVnDate(' 05-03-1990 ')).toBe('1990-03-05');
    expect(parseVnDate('05.03.1990')).toBe('1990-03-05');
    expect(parseVnDate('29/02/2024')).toBe('2024-02-29');
  });

  it('reads a two-digit year as the nearest century', () => {
    expect(parseVnDate('05/03/25')).toBe('2025-03-05');
    expect(parseVnDate('05/03/90')).toBe('1990-03-05');
  });

  it('refuses what is not a real date (month first, 31 April, 29 February 2023, text)', () => {
    expect(parseVnDate('03/31/2025')).toBeNull();
    expect(parseVnDate('31/04/2025')).toBeNull();
    expect(parseVnDate('29/02/2023')).toBeNull();
    expect(parseVnDate('2025-03-05')).toBeNull();
    expect(parseVnDate('05/03/0099')).toBeNull();
    expect(parseVnDate('hôm nay')).toBeNull();
    expect(parseVnDate('')).toBeNull();
  });

  it('reads a time after the date when asked', () => {
    expect(parseVnDate('05/03/2025 14:30', true)).toBe('2025-03-05 14:30:00');
    expect(parseVnDate('05/03/2025 9h05', true)).toBe('2025-03-05 09:05:00');
    expect(parseVnDate('05/03/2025', true)).toBe('2025-03-05 00:00:00');
    expect(parseVnDate('05/03/2025 24:00', true)).toBeNull();
    expect(parseVnDate('05/03/2025 14:30')).toBeNull();
  });
});
