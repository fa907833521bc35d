#!/usr/bin/env node
// Builds src/data/vn-admin/units.json (Vietnam's 34 provinces and 3,321 wards, two tiers after the
// 1 July 2025 reform) from the thanglequoc/vietnamese-provinces-database export kept in the shared
// data folder. Plain Node, no dependencies. The product never reads the source file; only the
// compact output is committed and loaded at run time (src/lib/vn/admin-units.ts).
//
//   node scripts/build-vn-admin.js [path/to/vn_units_<version>.json]
//
// The version is taken from the source file name (vn_units_2026-07-25.json -> "2026-07-25").
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const source = path.resolve(
  process.argv[2] ?? '/work/shared/data/vn-admin/vn_units_2026-07-25.json',
);
const outDir = path.join(root, 'src', 'data', 'vn-admin');

const PROVINCE_TYPES = { 1: 'city', 2: 'province' };
const WARD_TYPES = { 3: 'ward', 4: 'commune', 5: 'special_zone' };

function fail(message) {
  console.error(`build-vn-admin: ${message}`);
  process.exit(1);
}

const version = /vn_units_(\d{4}-\d{2}-\d{2})/.exec(path.basename(source))?.[1];
if (!version) fail(`cannot read a version date from the file name ${source}`);

const raw = JSON.parse(fs.readFileSync(source, 'utf8'));
if (!Array.isArray(raw)) fail('the source is not a JSON array of provinces');

/** FullName is "<unit type> <Name>"; the source has one lowercase "xã" (ward 06325), fixed here. */
function fullName(unit) {
  const expected = `${unit.AdministrativeUnitShortName} ${unit.Name}`;
  if (unit.FullName === expected) return expected;
  if (unit.FullName.toLocaleLowerCase('vi') === expected.toLocaleLowerCase('vi')) {
    console.log(`  fixed FullName of ${unit.Code}: "${unit.FullName}" -> "${expected}"`);
    return expected;
  }
  return fail(`unexpected FullName "${unit.FullName}" for ${unit.Code}`);
}

function typeOf(table, unit) {
  const type = table[unit.AdministrativeUnitId];
  if (!type) fail(`unknown AdministrativeUnitId ${unit.AdministrativeUnitId} for ${unit.Code}`);
  return type;
}

const nfc = (s) => String(s).normalize('NFC').trim();
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

const provinces = [];
const wards = [];
for (const p of raw) {
  if (!/^\d{2}$/.test(p.Code)) fail(`bad province code ${JSON.stringify(p.Code)}`);
  provinces.push({
    code: p.Code,
    name: nfc(p.Name),
    nameEn: nfc(p.NameEn),
    fullName: nfc(fullName(p)),
    type: typeOf(PROVINCE_TYPES, p),
  });
  for (const w of p.Wards) {
    if (!/^\d{5}$/.test(w.Code)) fail(`bad ward code ${JSON.stringify(w.Code)}`);
    if (w.ProvinceCode !== p.Code) fail(`ward ${w.Code} is nested in ${p.Code}`);
    wards.push({
      code: w.Code,
      provinceCode: w.ProvinceCode,
      name: nfc(w.Name),
      nameEn: nfc(w.NameEn),
      fullName: nfc(fullName(w)),
      type: typeOf(WARD_TYPES, w),
    });
  }
}
provinces.sort(byCode);
wards.sort(byCode);

// The counts the README of the shared data measured; a different source needs a look by a person.
if (provinces.length !== 34) fail(`expected 34 provinces, got ${provinces.length}`);
if (wards.length !== 3321) fail(`expected 3,321 wards, got ${wards.length}`);
if (new Set(wards.map((w) => w.code)).size !== wards.length) fail('ward codes are not unique');

fs.mkdirSync(outDir, { recursive: true });
// Two-space JSON is what Prettier would write, so `prettier --check .` stays clean.
const out = path.join(outDir, 'units.json');
fs.writeFileSync(out, `${JSON.stringify({ version, provinces, wards }, null, 2)}\n`);
const license = path.join(path.dirname(source), 'LICENSE');
// Written, not copied: the shared copy is read-only and its mode must not follow it.
if (fs.existsSync(license)) {
  fs.writeFileSync(path.join(outDir, 'LICENSE'), fs.readFileSync(license));
}
console.log(
  `build-vn-admin: wrote ${path.relative(root, out)} (${provinces.length} provinces, ` +
    `${wards.length} wards, version ${version})`,
);
