import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  adminUnitsFile,
  adminUnitsVersion,
  getProvince,
  getWard,
  isValidWard,
  listProvinces,
  searchUnits,
  wardsOf,
  type AdminUnitsData,
} from '../../src/lib/vn/admin-units.js';

describe('the vn-admin data', () => {
  it('has 34 provinces and 3,321 wards, dated 2026-07-25', () => {
    expect(adminUnitsVersion()).toBe('2026-07-25');
    expect(listProvinces()).toHaveLength(34);
    const wardCount = listProvinces().reduce((n, p) => n + wardsOf(p.code).length, 0);
    expect(wardCount).toBe(3321);
  });

  it('counts units by type like the source README: 7 cities, 697 wards, 2,611 communes, 13 zones', () => {
    const data = JSON.parse(fs.readFileSync(adminUnitsFile, 'utf8')) as AdminUnitsData;
    const count = (types: string[]) => {
      const out: Record<string, number> = {};
      for (const t of types) out[t] = (out[t] ?? 0) + 1;
      return out;
    };
    expect(count(data.provinces.map((p) => p.type))).toEqual({ city: 7, province: 27 });
    expect(count(data.wards.map((w) => w.type))).toEqual({
      ward: 697,
      commune: 2611,
      special_zone: 13,
    });
  });

  it('keeps codes as strings with leading zeros, sorted by code', () => {
    const provinces = listProvinces();
    expect(provinces[0]).toEqual({
      code: '01',
      name: 'Hà Nội',
      nameEn: 'Hanoi',
      fullName: 'Thành phố Hà Nội',
      type: 'city',
    });
    for (const p of provinces) expect(p.code).toMatch(/^\d{2}$/);
    expect(provinces.map((p) => p.code)).toEqual(provinces.map((p) => p.code).sort());
    const hanoi = wardsOf('01');
    expect(hanoi).toHaveLength(126);
    expect(hanoi[0]).toEqual({
      code: '00004',
      provinceCode: '01',
      name: 'Ba Đình',
      nameEn: 'Ba Dinh',
      fullName: 'Phường Ba Đình',
      type: 'ward',
    });
    for (const w of hanoi) expect(w.code).toMatch(/^\d{5}$/);
    expect(wardsOf('79')).toHaveLength(168);
    // Province 25 is out of code order in the source.
    const phuTho = wardsOf('25').map((w) => w.code);
    expect(phuTho).toEqual([...phuTho].sort());
  });

  it('finds units by code, and only by their exact string code', () => {
    expect(getProvince('79')?.name).toBe('Hồ Chí Minh');
    expect(getProvince('38')).toMatchObject({ name: 'Thanh Hoá', fullName: 'Tỉnh Thanh Hoá' });
    expect(getProvince('75')).toMatchObject({ fullName: 'Thành phố Đồng Nai', type: 'city' });
    expect(getWard('00070')).toMatchObject({
      provinceCode: '01',
      fullName: 'Phường Hoàn Kiếm',
      type: 'ward',
    });
    expect(getWard('26732')).toMatchObject({ name: 'Côn Đảo', type: 'special_zone' });
    expect(getWard('20333')).toMatchObject({ name: 'Hoàng Sa', nameEn: 'Paracel' });
    expect(getProvince('1')).toBeNull();
    expect(getProvince('02')).toBeNull(); // Hà Giang, merged into Tuyên Quang in 2025
    expect(getWard('70')).toBeNull();
    expect(getWard('0070')).toBeNull();
    expect(wardsOf('99')).toEqual([]);
  });

  it('fixes the lowercase "xã" of ward 06325', () => {
    expect(getWard('06325')).toMatchObject({ fullName: 'Xã Bắc Sơn', type: 'commune' });
  });

  it('checks that a ward belongs to its province', () => {
    expect(isValidWard('01', '00070')).toBe(true);
    expect(isValidWard('79', '00070')).toBe(false);
    expect(isValidWard('01', '99999')).toBe(false);
    expect(isValidWard('1', '00070')).toBe(false);
    expect(isValidWard('79', '26740')).toBe(true); // Phường Sài Gòn
  });

  it('hands out frozen objects', () => {
    const p = getProvince('01');
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(listProvinces())).toBe(true);
  });
});

describe('searchUnits', () => {
  const codes = (query: string, options?: Parameters<typeof searchUnits>[1]) =>
    searchUnits(query, options).map((m) => m.code);

  it('"hoan kiem" finds Phường Hoàn Kiếm in Hà Nội first', () => {
    const [first] = searchUnits('hoan kiem');
    expect(first).toEqual({
      level: 'ward',
      code: '00070',
      name: 'Hoàn Kiếm',
      fullName: 'Phường Hoàn Kiếm',
      type: 'ward',
      provinceCode: '01',
      provinceName: 'Thành phố Hà Nội',
    });
  });

  it.each(['Hoàn Kiếm', 'HOAN KIEM', 'phuong hoan kiem', 'Phường Hoàn Kiếm', 'kiem', 'hoan ki'])(
    '%j finds Hoàn Kiếm',
    (query) => {
      expect(codes(query)).toContain('00070');
    },
  );

  it('"thanh hoa" finds the province Thanh Hoá first, whatever the tone-mark style', () => {
    for (const query of ['thanh hoa', 'Thanh Hoá', 'Thanh Hóa', 'THANH HOÁ']) {
      const [first] = searchUnits(query);
      expect(first).toMatchObject({ level: 'province', code: '38', name: 'Thanh Hoá' });
    }
  });

  it('matches the old and new tone-mark placement: Hòa finds Hoà', () => {
    const oldStyle = codes('Hoà Bình', { limit: 50 });
    const newStyle = codes('Hòa Bình', { limit: 50 });
    expect(newStyle).toEqual(oldStyle);
    expect(newStyle).toEqual(expect.arrayContaining(['04795', '11533', '27211', '29830', '31891']));
    expect(
      codes('thuy', { limit: 100 }).map((c) => getWard(c)?.name ?? getProvince(c)?.name),
    ).toEqual(expect.arrayContaining(['Thuỷ Nguyên']));
  });

  it('ranks exact names before prefixes before words inside a name', () => {
    const results = searchUnits('ba dinh', { limit: 10 });
    // Three units are called Ba Đình / Ba Dinh (Hà Nội, Thanh Hoá, Quảng Ngãi): all exact.
    expect(
      results
        .slice(0, 3)
        .map((r) => r.code)
        .sort(),
    ).toEqual(['00004', '16171', '21499']);
    const hoang = searchUnits('hoang', { provinceCode: '01', limit: 50 }).map((r) => r.name);
    expect(hoang[0]).toMatch(/^Hoàng/);
    expect(hoang).toContain('Hoàng Mai');
  });

  it('puts a province before a ward of the same name', () => {
    const [first, second] = searchUnits('ha noi');
    expect(first).toMatchObject({ level: 'province', code: '01' });
    expect(second?.level).not.toBe('province');
  });

  it('matches English names and common names of Hồ Chí Minh City', () => {
    expect(codes('hanoi')[0]).toBe('01');
    expect(codes('Paracel')).toEqual(['20333']);
    for (const q of ['hcm', 'TP.HCM', 'tp hcm', 'Hồ Chí Minh']) expect(codes(q)[0]).toBe('79');
  });

  it('handles punctuation in names', () => {
    expect(codes("Ea H'Leo")).toContain('24184');
    expect(codes('ea hleo')).toContain('24184');
    expect(codes('van mieu quoc tu giam')).toEqual(['00226']);
    expect(codes('Văn Miếu - Quốc Tử Giám')[0]).toBe('00226');
  });

  it('does not match fragments in the middle of a word', () => {
    expect(codes('oan kiem')).not.toContain('00070');
  });

  it('limits to the wards of one province', () => {
    const results = searchUnits('ba dinh', { provinceCode: '38' });
    expect(results.map((r) => r.code)).toEqual(['16171']);
    expect(results[0]).toMatchObject({ provinceCode: '38', provinceName: 'Tỉnh Thanh Hoá' });
    expect(searchUnits('thanh hoa', { provinceCode: '38' }).every((r) => r.level === 'ward')).toBe(
      true,
    );
  });

  it('filters by level and respects the limit', () => {
    expect(
      searchUnits('ha', { level: 'province', limit: 100 }).every((r) => r.level === 'province'),
    ).toBe(true);
    expect(searchUnits('an', { limit: 5 })).toHaveLength(5);
    expect(searchUnits('an')).toHaveLength(20);
    expect(searchUnits('an', { limit: 0 })).toEqual([]);
  });

  it('returns nothing for an empty or unmatched query', () => {
    expect(searchUnits('')).toEqual([]);
    expect(searchUnits('  - ')).toEqual([]);
    expect(searchUnits('zzzz')).toEqual([]);
  });
});
