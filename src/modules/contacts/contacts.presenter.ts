import { presentFigures } from '../selling/figures.js';
import {
  presentAddresses,
  presentEmails,
  presentOwner,
  presentPhones,
} from '../records/presenters.js';
import type { ContactRecordRow } from './contacts.repository.js';
import type { ContactResponse } from './contacts.schemas.js';

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
    owner: presentOwner(r.ownerId, r.ownerName),
    tags: r.tags,
    lifecycleStage: r.lifecycleStage,
    priceListId: r.priceListId,
    paymentTermsDays: r.paymentTermsDays,
    ...presentFigures(r),
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
