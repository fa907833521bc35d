import type { Address, CompanyRow, LabeledValue } from '../../db/schema/index.js';
import { getProvince, getWard } from '../../lib/vn/admin-units.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';
import type { CompanyResponse } from './companies.schemas.js';
import type { CompanyRecordRow } from './companies.repository.js';
import type { ContactResponse } from './contacts.schemas.js';
import type { ContactRecordRow } from './contacts.repository.js';

/** Rows -> API shapes: derived values (national phone format, unit names, owner) added here. */

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

const owner = (ownerId: string | null, ownerName: string | null) =>
  ownerId ? { id: ownerId, name: ownerName ?? '' } : null;

export function presentContact(r: ContactRecordRow): ContactResponse {
  return {
    id: r.id,
    familyName: r.familyName,
    middleName: r.middleName,
    givenName: r.givenName,
    displayName: r.displayName,
    salutation: r.salutation,
    gender: r.gender,
    birthday: r.birthday,
    emails: presentEmails(r.emails),
    phones: presentPhones(r.phones),
    addresses: presentAddresses(r.addresses),
    primaryEmail: r.primaryEmail,
    primaryPhone: r.primaryPhone,
    provinceCode: r.provinceCode,
    wardCode: r.wardCode,
    companies: r.companies,
    source: r.source,
    ownerId: r.ownerId,
    owner: owner(r.ownerId, r.ownerName),
    tags: r.tags,
    lifecycleStage: r.lifecycleStage,
    consent: Object.fromEntries(
      Object.entries(r.consent).map(([k, v]) => [
        k,
        { status: v.status, at: v.at ?? null, method: v.method ?? null },
      ]),
    ),
    custom: r.custom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

export function presentCompany(r: CompanyRecordRow): CompanyResponse {
  return {
    id: r.id,
    name: r.name,
    taxCode: r.taxCode,
    type: r.type,
    industry: r.industry,
    size: r.size,
    website: r.website,
    phones: presentPhones(r.phones),
    emails: presentEmails(r.emails),
    addresses: presentAddresses(r.addresses),
    provinceCode: r.provinceCode,
    wardCode: r.wardCode,
    parentId: r.parentId,
    parent: r.parentId && r.parentName !== null ? { id: r.parentId, name: r.parentName } : null,
    ownerId: r.ownerId,
    owner: owner(r.ownerId, r.ownerName),
    tags: r.tags,
    custom: r.custom,
    contactCount: Number(r.contactCount),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

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
