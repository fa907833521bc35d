import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  periodKey,
  renderNumber,
} from '../../src/modules/numbering/numbering.format.js';
import {
  DEFAULT_DOCUMENT_TYPES,
  documentType,
  registerDocumentType,
} from '../../src/modules/numbering/numbering.registry.js';

describe('document number formats', () => {
  it('renders the tokens: year, two-digit year, month and the padded counter', () => {
    expect(renderNumber('BG-{YYYY}-{0000}', 13, 2026, 3)).toBe('BG-2026-0013');
    expect(renderNumber('HD{YY}{MM}/{000000}', 7, 2027, 11)).toBe('HD2711/000007');
    expect(renderNumber('PT.{0}', 42, 2026, 1)).toBe('PT.42');
    // Past its width the counter keeps every digit.
    expect(renderNumber('X-{00}', 12345, 2026, 1)).toBe('X-12345');
  });

  it('restarts yearly only when the format shows the year', () => {
    expect(periodKey('BG-{YYYY}-{0000}', 2026)).toBe('2026');
    expect(periodKey('BG{YY}-{0000}', 2026)).toBe('2026');
    expect(periodKey('BG-{MM}-{0000}', 2026)).toBe('');
    expect(periodKey('BG-{0000}', 2026)).toBe('');
  });

  it.each([
    ['', 'empty'],
    ['BG-{YYYY}', 'no_counter'],
    ['{0000}-{000}', 'several_counters'],
    ['BG-{DD}-{0000}', 'unknown_token'],
    ['BG-{0000', 'unknown_token'],
    ['BG}-{0000}', 'unknown_token'],
    ['BG {0000}', 'unsafe_character'],
    ['BÁO-{0000}', 'unsafe_character'],
    ['<b>{0000}', 'unsafe_character'],
    ["BG'{0000}", 'unsafe_character'],
    ['{00000000000}', 'counter_too_wide'],
    [`${'A'.repeat(35)}{0000}`, 'too_long'],
  ])('refuses %j (%s)', (format, problem) => {
    expect(formatProblem(format)).toBe(problem);
  });

  it('accepts the defaults and usual shapes', () => {
    for (const f of ['BG-{YYYY}-{0000}', 'HD/{YY}/{00000}', 'PT_{YYYY}.{MM}.{000}', '{0}']) {
      expect(formatProblem(f)).toBeNull();
    }
  });

  it('registers the four documents of issue #20; a module may register them again', () => {
    expect(DEFAULT_DOCUMENT_TYPES.map((t) => [t.key, t.defaultFormat])).toEqual([
      ['quotes', 'BG-{YYYY}-{0000}'],
      ['orders', 'DH-{YYYY}-{0000}'],
      ['invoices', 'HD-{YYYY}-{0000}'],
      ['payments', 'PT-{YYYY}-{0000}'],
    ]);
    registerDocumentType(DEFAULT_DOCUMENT_TYPES[0]);
    expect(documentType('quotes')?.label.vi).toBe('Báo giá');
    expect(() =>
      registerDocumentType({ key: 'bad', label: { vi: 'x', en: 'x' }, defaultFormat: 'X' }),
    ).toThrow(/no_counter/);
  });
});
