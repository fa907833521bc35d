import { presentFigures } from '../selling/figures.js';
import {
  presentAddresses,
  presentEmails,
  presentOwner,
  presentPhones,
} from '../records/presenters.js';
import type { CompanyRecordRow } from './companies.repository.js';
import type { CompanyResponse } from './companies.schemas.js';

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
    priceListId: r.priceListId,
    paymentTermsDays: r.paymentTermsDays,
    ...presentFigures(r),
    ownerId: r.ownerId,
    owner: presentOwner(r.ownerId, r.ownerName),
    tags: r.tags,
    custom: r.custom,
    contactCount: Number(r.contactCount),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}
