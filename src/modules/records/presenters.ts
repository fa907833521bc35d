import type { Address, CompanyRow, LabeledValue } from '../../db/schema/index.js';
import { getProvince, getWard } from '../../lib/vn/admin-units.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';

/**
 * What record objects' presenters share (rows -> API shapes): national phone format, unit names,
 * owner. Each object's own presenter is in its folder (contacts/contacts.presenter.ts…).
 */

export const presentPhones = (phones: LabeledValue[]) =>
  phones.map((p) => ({
    value: p.value,
    label: p.label,
    primary: p.primary,
    national: formatPhoneNational(p.value),
  }));

export const presentEmails = (emails: LabeledValue[]) =>
  emails.map((e) => ({ value: e.value, label: e.label, primary: e.primary }));

export const presentAddresses = (addresses: Address[]) =>
  addresses.map((a) => ({
    label: a.label ?? null,
    street: a.street ?? null,
    wardCode: a.wardCode ?? null,
    provinceCode: a.provinceCode ?? null,
    text: a.text ?? null,
    countryCode: a.countryCode ?? 'VN',
    primary: a.primary ?? false,
    wardName: a.wardCode ? (getWard(a.wardCode)?.fullName ?? null) : null,
    provinceName: a.provinceCode ? (getProvince(a.provinceCode)?.fullName ?? null) : null,
  }));

/** A record's owner as `{ id, name }`, or null. */
export const presentOwner = (ownerId: string | null, ownerName: string | null) =>
  ownerId ? { id: ownerId, name: ownerName ?? '' } : null;

/** The fields of a row that history records (no search keys, no bookkeeping columns). */
export function auditView(row: object): Record<string, unknown> {
  const {
    searchName: _sn,
    searchText: _st,
    sortName: _so,
    workspaceId: _w,
    createdBy: _cb,
    updatedBy: _ub,
    deletedBy: _db,
    updatedAt: _ua,
    createdAt: _ca,
    id: _id,
    ...rest
  } = row as CompanyRow & Record<string, unknown>;
  return rest;
}
