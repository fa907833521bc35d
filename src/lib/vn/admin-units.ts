/**
 * Vietnam's administrative units after the 1 July 2025 reform: two tiers, 34 provinces and
 * 3,321 wards/communes/special zones, no districts. The data (src/data/vn-admin/units.json,
 * built by scripts/build-vn-admin.js) is read from the package root on first use, so it works
 * the same under Vitest (src/) and in the built server (dist/server/), which ships with src/data.
 *
 * Codes are strings with leading zeros ("01", "00070"): never compare them as numbers. Names are
 * not unique (314 ward names occur in several provinces): key on codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { foldForSearch, nameCollator } from './names.js';

export type ProvinceType = 'city' | 'province';
export type WardType = 'ward' | 'commune' | 'special_zone';

export interface Province {
  code: string;
  name: string;
  nameEn: string;
  fullName: string;
  type: ProvinceType;
}

export interface Ward {
  code: string;
  provinceCode: string;
  name: string;
  nameEn: string;
  fullName: string;
  type: WardType;
}

export interface AdminUnitsData {
  version: string;
  provinces: Province[];
  wards: Ward[];
}

/**
 * One search hit, flat for an autocomplete list: "Phường Hoàn Kiếm, Thành phố Hà Nội".
 * `provinceName` is the official full name, as on record addresses (docs/customer-records.md).
 */
export interface UnitMatch {
  level: 'province' | 'ward';
  code: string;
  name: string;
  fullName: string;
  type: ProvinceType | WardType;
  /** The province itself for a province hit. */
  provinceCode: string;
  provinceName: string;
}

export interface SearchUnitsOptions {
  /** Only wards of this province. */
  provinceCode?: string;
  /** Only provinces or only wards. */
  level?: 'province' | 'ward';
  /** At most this many results (default 20). */
  limit?: number;
}

export const adminUnitsFile = path.join(packageRoot, 'src', 'data', 'vn-admin', 'units.json');

/** Names people type for a province instead of its official one. */
const PROVINCE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '79': ['hcm', 'tphcm', 'tp hcm', 'sai gon'],
};

interface Entry {
  match: UnitMatch;
  /** Folded names, most specific first: name, full name, English name, aliases. */
  keys: string[];
}

interface Index {
  version: string;
  provinces: readonly Province[];
  wards: readonly Ward[];
  provinceByCode: ReadonlyMap<string, Province>;
  wardByCode: ReadonlyMap<string, Ward>;
  wardsByProvince: ReadonlyMap<string, readonly Ward[]>;
  entries: readonly Entry[];
}

/**
 * The folded form used for matching: accents and case removed, apostrophes dropped
 * ("H'Leo" -> "hleo"), other punctuation turned into spaces ("TP.HCM" -> "tp hcm").
 */
function searchFold(s: string): string {
  return foldForSearch(s)
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function buildIndex(data: AdminUnitsData): Index {
  const provinces = data.provinces.map((p) => Object.freeze({ ...p }));
  const wards = data.wards.map((w) => Object.freeze({ ...w }));
  const provinceByCode = new Map(provinces.map((p) => [p.code, p]));
  const wardByCode = new Map(wards.map((w) => [w.code, w]));
  const wardsByProvince = new Map<string, Ward[]>();
  for (const w of wards) {
    const list = wardsByProvince.get(w.provinceCode) ?? [];
    list.push(w);
    wardsByProvince.set(w.provinceCode, list);
  }
  const keysOf = (
    u: { name: string; fullName: string; nameEn: string },
    extra: readonly string[],
  ) => [...new Set([u.name, u.fullName, u.nameEn, ...extra].map(searchFold))];
  const entries: Entry[] = [
    ...provinces.map((p) => ({
      match: {
        level: 'province' as const,
        code: p.code,
        name: p.name,
        fullName: p.fullName,
        type: p.type,
        provinceCode: p.code,
        provinceName: p.fullName,
      },
      keys: keysOf(p, PROVINCE_ALIASES[p.code] ?? []),
    })),
    ...wards.map((w) => ({
      match: {
        level: 'ward' as const,
        code: w.code,
        name: w.name,
        fullName: w.fullName,
        type: w.type,
        provinceCode: w.provinceCode,
        provinceName: provinceByCode.get(w.provinceCode)?.fullName ?? '',
      },
      keys: keysOf(w, []),
    })),
  ];
  return {
    version: data.version,
    provinces: Object.freeze(provinces),
    wards: Object.freeze(wards),
    provinceByCode,
    wardByCode,
    wardsByProvince: new Map(
      [...wardsByProvince].map(([code, list]) => [code, Object.freeze(list)]),
    ),
    entries,
  };
}

let index: Index | null = null;

/** The data, read and indexed once, on first use. */
function units(): Index {
  index ??= buildIndex(JSON.parse(fs.readFileSync(adminUnitsFile, 'utf8')) as AdminUnitsData);
  return index;
}

/** The dated version of the data ("2026-07-25"); store it next to codes you keep. */
export function adminUnitsVersion(): string {
  return units().version;
}

/** All 34 provinces, by code. */
export function listProvinces(): readonly Province[] {
  return units().provinces;
}

export function getProvince(code: string): Province | null {
  return units().provinceByCode.get(code) ?? null;
}

export function getWard(code: string): Ward | null {
  return units().wardByCode.get(code) ?? null;
}

/** The wards of a province, by code; empty for an unknown province. */
export function wardsOf(provinceCode: string): readonly Ward[] {
  return units().wardsByProvince.get(provinceCode) ?? [];
}

/** True when the ward exists and belongs to the province. */
export function isValidWard(provinceCode: string, wardCode: string): boolean {
  return getWard(wardCode)?.provinceCode === provinceCode;
}

/**
 * How well one folded key matches the folded query, lower is better, null for no match:
 * 0 the whole name, 1 the start of the name, 2 a run of whole words inside the name
 * ("kiem" in "hoan kiem"), 3 every query word starts some word of the name, in any order.
 * A fragment in the middle of a word ("oan") does not match.
 */
function rankKey(key: string, query: string, queryWords: readonly string[]): number | null {
  if (key === query) return 0;
  if (key.startsWith(query)) return 1;
  if (` ${key}`.includes(` ${query}`)) return 2;
  const words = key.split(' ');
  return queryWords.every((q) => words.some((w) => w.startsWith(q))) ? 3 : null;
}

/**
 * Provinces and wards whose name matches what a person types, ignoring accents, case, the old
 * and new tone-mark placement ("Hoà"/"Hòa") and punctuation: "hoan kiem" finds Phường Hoàn Kiếm,
 * "phuong hoan kiem" and "kiem" too. Exact matches first, then prefixes, then words inside the
 * name; provinces before wards on a tie, then Vietnamese alphabetical order.
 */
export function searchUnits(query: string, options: SearchUnitsOptions = {}): UnitMatch[] {
  const q = searchFold(query);
  const limit = options.limit ?? 20;
  if (q === '' || limit <= 0) return [];
  const queryWords = q.split(' ');
  const hits: { match: UnitMatch; rank: number }[] = [];
  for (const entry of units().entries) {
    const m = entry.match;
    if (options.provinceCode !== undefined) {
      if (m.level !== 'ward' || m.provinceCode !== options.provinceCode) continue;
    }
    if (options.level !== undefined && m.level !== options.level) continue;
    let best: number | null = null;
    for (const key of entry.keys) {
      const rank = rankKey(key, q, queryWords);
      if (rank !== null && (best === null || rank < best)) best = rank;
    }
    if (best !== null) hits.push({ match: m, rank: best });
  }
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      (a.match.level === b.match.level ? 0 : a.match.level === 'province' ? -1 : 1) ||
      nameCollator.compare(a.match.name, b.match.name) ||
      (a.match.code < b.match.code ? -1 : a.match.code > b.match.code ? 1 : 0),
  );
  return hits.slice(0, limit).map((h) => ({ ...h.match }));
}
