import { describe, expect, it } from 'vitest';
import {
  SALUTATIONS,
  SALUTATION_CODES,
  compareContactsByName,
  composeDisplayName,
  foldForSearch,
  isSalutation,
  nameCollator,
  normalizeText,
  salutationLabel,
  splitFullName,
  type NameParts,
} from '../../src/lib/vn/names.js';

const nfd = (s: string) => s.normalize('NFD');

describe('normalizeText', () => {
  it('trims, collapses whitespace and composes to NFC', () => {
    expect(normalizeText('  Nguyễn   Văn\tAn \n')).toBe('Nguyễn Văn An');
    expect(normalizeText(nfd('Nguyễn Văn Ánh'))).toBe('Nguyễn Văn Ánh');
    expect(normalizeText(nfd('Nguyễn')).length).toBe(6);
    expect(normalizeText('Trần\u00a0Thị\u200b Hoa\ufeff')).toBe('Trần Thị Hoa');
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' \t ')).toBe('');
  });

  it('keeps the tone-mark placement as written (Hoà stays Hoà)', () => {
    expect(normalizeText('Hoà')).toBe('Hoà');
    expect(normalizeText('Hòa')).toBe('Hòa');
  });
});

describe('composeDisplayName', () => {
  const an = { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An' };

  it('writes Vietnamese order: family, middle, given', () => {
    expect(composeDisplayName(an, 'vi')).toBe('Nguyễn Văn An');
    expect(composeDisplayName(an)).toBe('Nguyễn Văn An');
  });

  it('writes English order: given, middle, family', () => {
    expect(composeDisplayName(an, 'en')).toBe('An Văn Nguyễn');
  });

  it('skips empty parts and normalises each part', () => {
    expect(composeDisplayName({ familyName: 'Lê', givenName: 'Hoa' }, 'vi')).toBe('Lê Hoa');
    expect(composeDisplayName({ familyName: 'Lê', middleName: null, givenName: 'Hoa' }, 'en')).toBe(
      'Hoa Lê',
    );
    expect(composeDisplayName({ givenName: '  Madonna ' }, 'vi')).toBe('Madonna');
    expect(
      composeDisplayName(
        { familyName: ' Tôn Nữ ', middleName: 'Thị  Ngọc', givenName: nfd('Ánh') },
        'vi',
      ),
    ).toBe('Tôn Nữ Thị Ngọc Ánh');
    expect(composeDisplayName({}, 'vi')).toBe('');
  });
});

describe('splitFullName', () => {
  it.each([
    ['Nguyễn Văn An', { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An' }],
    ['Trần Thị Ngọc Ánh', { familyName: 'Trần', middleName: 'Thị Ngọc', givenName: 'Ánh' }],
    ['Lê Hoa', { familyName: 'Lê', middleName: '', givenName: 'Hoa' }],
    ['Hoa', { familyName: '', middleName: '', givenName: 'Hoa' }],
    ['  phạm   minh  chính ', { familyName: 'phạm', middleName: 'minh', givenName: 'chính' }],
    ['', { familyName: '', middleName: '', givenName: '' }],
  ])('%j', (full, parts) => {
    expect(splitFullName(full)).toEqual(parts);
  });

  it('round-trips with composeDisplayName in Vietnamese order', () => {
    for (const full of ['Nguyễn Văn An', 'Trần Thị Ngọc Ánh', 'Lê Hoa', 'Hoa']) {
      expect(composeDisplayName(splitFullName(full), 'vi')).toBe(full);
    }
  });

  it('returns NFC parts for decomposed input', () => {
    expect(splitFullName(nfd('Đỗ Thị Thuỷ')).givenName).toBe('Thuỷ');
  });
});

describe('sorting names', () => {
  it('uses the Vietnamese alphabet (d before đ, a before ă before â, o before ô before ơ)', () => {
    const sorted = ['Đức', 'Dũng', 'Ân', 'Anh', 'Ẩn', 'Ơn', 'Oanh', 'Ông', 'Bình'].sort(
      nameCollator.compare,
    );
    expect(sorted).toEqual(['Anh', 'Ân', 'Ẩn', 'Bình', 'Dũng', 'Đức', 'Oanh', 'Ông', 'Ơn']);
  });

  it('sorts contacts by given name, then family name, then middle name', () => {
    const people: NameParts[] = [
      { familyName: 'Trần', middleName: 'Văn', givenName: 'Bình' },
      { familyName: 'Nguyễn', middleName: 'Thị', givenName: 'Bình' },
      { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An' },
      { familyName: 'Đặng', middleName: 'Quốc', givenName: 'Đức' },
      { familyName: 'Nguyễn', middleName: 'An', givenName: 'Bình' },
      { familyName: 'Lê', givenName: 'Dũng' },
      { givenName: 'Ánh' },
    ];
    expect(people.sort(compareContactsByName).map((p) => composeDisplayName(p))).toEqual([
      'Nguyễn Văn An',
      'Ánh',
      'Nguyễn An Bình',
      'Nguyễn Thị Bình',
      'Trần Văn Bình',
      'Lê Dũng',
      'Đặng Quốc Đức',
    ]);
  });

  it('treats missing parts as empty and equal names as equal', () => {
    expect(compareContactsByName({ givenName: 'An' }, { givenName: 'An', familyName: null })).toBe(
      0,
    );
    expect(
      compareContactsByName({ givenName: 'An' }, { givenName: 'An', familyName: 'Lê' }),
    ).toBeLessThan(0);
  });
});

describe('foldForSearch', () => {
  // Each expected value is what PostgreSQL `lower(unaccent(s))` returns (checked on PostgreSQL 15
  // and PGlite), the SQL side of the same search.
  it.each([
    ['NGUYỄN VĂN ÁNH', 'nguyen van anh'],
    ['Nguyễn Văn Ánh', 'nguyen van anh'],
    [nfd('Nguyễn Văn Ánh'), 'nguyen van anh'],
    ['Đức', 'duc'],
    ['ĐẶNG THỊ ĐÀO', 'dang thi dao'],
    ['đường Điện Biên Phủ', 'duong dien bien phu'],
    ['Hoà', 'hoa'],
    ['Hòa', 'hoa'],
    [nfd('Hoà'), 'hoa'],
    ['Thuỷ', 'thuy'],
    ['Thủy', 'thuy'],
    ['Khánh Hoà', 'khanh hoa'],
    ['Thanh Hoá', 'thanh hoa'],
    ['ƯỚC MƠ', 'uoc mo'],
    ['Lê Hữu Ý', 'le huu y'],
    ['Ỷ Lan', 'y lan'],
    ['Phạm Quỳnh Anh', 'pham quynh anh'],
    ['Ầ ẩ ẫ ậ Ằ ẳ ẵ ặ', 'a a a a a a a a'],
    ['Quận 1', 'quan 1'],
    ["Ea H'Leo", "ea h'leo"],
    ['Văn Miếu - Quốc Tử Giám', 'van mieu - quoc tu giam'],
    ['Café Đà Lạt', 'cafe da lat'],
    ['ß æ ø ł Œ', 'ss ae o l oe'],
    ['an.nguyen@example.vn', 'an.nguyen@example.vn'],
  ])('%j -> %j', (input, folded) => {
    expect(foldForSearch(input)).toBe(folded);
  });

  it('also trims and collapses whitespace', () => {
    expect(foldForSearch('  Nguyễn \t Văn\u00a0 An  ')).toBe('nguyen van an');
  });

  it('gives the same result for precomposed and decomposed forms of every letter', () => {
    const letters = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
    for (const c of letters + letters.toUpperCase()) {
      expect(foldForSearch(c)).toMatch(/^[aeiouyd]$/);
      expect(foldForSearch(nfd(c))).toBe(foldForSearch(c));
    }
  });
});

describe('salutations', () => {
  it('has stable codes with Vietnamese and English labels', () => {
    expect(SALUTATION_CODES).toEqual(['anh', 'chi', 'ong', 'ba', 'em']);
    expect(SALUTATION_CODES.map((c) => salutationLabel(c, 'vi'))).toEqual([
      'anh',
      'chị',
      'ông',
      'bà',
      'em',
    ]);
    for (const c of SALUTATION_CODES) {
      expect(salutationLabel(c, 'en')).toMatch(new RegExp(`^${SALUTATIONS[c].vi} \\(`));
    }
    expect(SALUTATION_CODES.map((c) => SALUTATIONS[c].titleEn)).toEqual([
      'Mr.',
      'Ms.',
      'Mr.',
      'Mrs.',
      null,
    ]);
  });

  it('recognises codes, not labels', () => {
    expect(isSalutation('chi')).toBe(true);
    expect(isSalutation('chị')).toBe(false);
    expect(isSalutation('Anh')).toBe(false);
    expect(isSalutation(null)).toBe(false);
    expect(isSalutation(1)).toBe(false);
  });
});
