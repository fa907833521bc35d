import { AppError } from '../../core/errors.js';
import { sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { composeDisplayName, normalizeText, splitFullName } from '../../lib/vn/names.js';
import type { RecordKind } from '../records/kinds.js';
import {
  cleanText,
  FieldErrors,
  messages as recordMessages,
  normalizeAddresses,
  normalizeEmails,
  normalizePhones,
  normalizeTags,
  normalizeTaxCodeField,
  primaryAddress,
  primaryValue,
  searchText,
} from '../records/normalize.js';
import {
  presentAddresses,
  presentEmails,
  presentOwner,
  presentPhones,
} from '../records/presenters.js';
import { FieldResolver } from '../records/list.js';
import { recordWriter, type AfterWrite } from '../records/writer.js';
import { contactSearchKeys } from '../contacts/contacts.service.js';
import { rescore } from '../scoring/scoring.compute.js';
import { assignNewRecords } from '../assignment/assign.js';
import './leads.scoring.js';
import * as repo from './leads.repository.js';
import { leadCreateBody, type LeadInput, type LeadResponse } from './leads.schemas.js';
import type { LeadRow } from './leads.table.js';

const OBJECT = 'leads';

export const messages = {
  convertedByConversion: {
    vi: 'Trạng thái "Đã chuyển đổi" chỉ được đặt khi chuyển đổi khách hàng tiềm năng thành liên hệ.',
    en: 'The status "Converted" is set only by converting the lead into a contact.',
  },
  reasonRequired: {
    vi: 'Cần chọn lý do khi khách hàng tiềm năng không đủ điều kiện.',
    en: 'Choose a reason when a lead is disqualified.',
  },
};

type Text = Exclude<keyof LeadInput & keyof LeadRow, 'status'>;

/**
 * The columns of a lead after applying `input` to `before` (null when creating): the name split
 * and composed as a contact's, phones, emails and addresses normalised as a contact's, the tax
 * code as a company's. Every problem is collected in `errors`.
 */
export function leadValues(
  before: LeadRow | null,
  input: LeadInput,
  errors: FieldErrors,
): Omit<repo.LeadValues, 'ownerId' | 'custom' | 'createdBy' | 'updatedBy'> {
  let parts = {
    familyName: input.familyName,
    middleName: input.middleName,
    givenName: input.givenName,
  };
  const partsGiven = Object.values(parts).some((p) => p !== undefined);
  if (input.fullName !== undefined && !partsGiven) parts = splitFullName(input.fullName);
  const familyName =
    parts.familyName !== undefined ? cleanText(parts.familyName) : (before?.familyName ?? null);
  const middleName =
    parts.middleName !== undefined ? cleanText(parts.middleName) : (before?.middleName ?? null);
  const givenName =
    parts.givenName !== undefined ? cleanText(parts.givenName) : (before?.givenName ?? null);
  const namesTouched = partsGiven || input.fullName !== undefined;

  let displayName: string;
  if (input.displayName && normalizeText(input.displayName)) {
    displayName = normalizeText(input.displayName);
  } else if (namesTouched || !before || input.displayName !== undefined) {
    displayName = composeDisplayName({ familyName, middleName, givenName });
  } else {
    displayName = before.displayName;
  }
  if (!displayName) {
    errors.add(
      input.fullName !== undefined ? 'fullName' : 'givenName',
      recordMessages.nameRequired,
      'required',
    );
  }

  const phones = input.phones ? normalizePhones(input.phones, errors) : (before?.phones ?? []);
  const emails = input.emails ? normalizeEmails(input.emails, errors) : (before?.emails ?? []);
  const addresses = input.addresses
    ? normalizeAddresses(input.addresses, errors)
    : (before?.addresses ?? []);
  const primary = primaryAddress(addresses);
  const taxCode =
    input.taxCode !== undefined
      ? normalizeTaxCodeField(input.taxCode, errors)
      : (before?.taxCode ?? null);
  const text = (k: Text) =>
    input[k] !== undefined
      ? cleanText(input[k] as string | null)
      : ((before?.[k] as string | null) ?? null);

  if (input.status === 'converted' && before?.status !== 'converted') {
    errors.add('status', messages.convertedByConversion, 'converted_by_conversion');
  }
  const status = input.status ?? before?.status ?? 'new';
  // The reason belongs to a disqualified lead only; it goes when the lead is requalified.
  const reason = status === 'disqualified' ? text('disqualifiedReason') : null;
  if (status === 'disqualified' && !reason) {
    errors.add('disqualifiedReason', messages.reasonRequired, 'required');
  }

  const companyName = text('companyName');
  const keys = contactSearchKeys({
    familyName,
    middleName,
    givenName,
    displayName,
    emails,
    phones,
  });
  return {
    familyName,
    middleName,
    givenName,
    displayName,
    phones,
    emails,
    addresses,
    primaryPhone: primaryValue(phones),
    primaryEmail: primaryValue(emails),
    provinceCode: primary?.provinceCode ?? null,
    wardCode: primary?.wardCode ?? null,
    companyName,
    taxCode,
    jobTitle: text('jobTitle'),
    source: text('source'),
    campaign: text('campaign'),
    utmSource: text('utmSource'),
    utmMedium: text('utmMedium'),
    utmCampaign: text('utmCampaign'),
    utmTerm: text('utmTerm'),
    utmContent: text('utmContent'),
    referrer: text('referrer'),
    landingPage: text('landingPage'),
    status,
    disqualifiedReason: reason,
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    searchName: keys.searchName,
    sortName: keys.sortName,
    // The company and its tax code find the lead too.
    searchText: searchText([keys.searchText, companyName, taxCode]),
  };
}

/** A linked record as `{ id, name }`, when it is there and the caller may see it. */
const refOf = (id: string | null, name: string | null) =>
  id && name !== null ? { id, name } : null;

/** The records a lead became, limited to what the caller may see. */
function convertedScopes(actor: Actor): repo.ConvertedScopes {
  const scope = (object: string, owner: SQL) =>
    can(actor, object, 'read') ? (scopeCondition(actor, object, owner) ?? undefined) : null;
  return {
    contacts: scope('contacts', sql`c.owner_id`),
    companies: scope('companies', sql`co.owner_id`),
    deals: scope('deals', sql`d.owner_id`),
  };
}

export function presentLead(r: repo.LeadRecordRow): LeadResponse {
  return {
    id: r.id,
    familyName: r.familyName,
    middleName: r.middleName,
    givenName: r.givenName,
    displayName: r.displayName,
    emails: presentEmails(r.emails),
    phones: presentPhones(r.phones),
    addresses: presentAddresses(r.addresses),
    primaryEmail: r.primaryEmail,
    primaryPhone: r.primaryPhone,
    companyName: r.companyName,
    taxCode: r.taxCode,
    jobTitle: r.jobTitle,
    provinceCode: r.provinceCode,
    wardCode: r.wardCode,
    source: r.source,
    campaign: r.campaign,
    utmSource: r.utmSource,
    utmMedium: r.utmMedium,
    utmCampaign: r.utmCampaign,
    utmTerm: r.utmTerm,
    utmContent: r.utmContent,
    referrer: r.referrer,
    landingPage: r.landingPage,
    status: r.status,
    disqualifiedReason: r.disqualifiedReason,
    score: Number(r.score),
    grade: r.grade,
    scoreReasons: r.scoreReasons,
    convertedAt: r.convertedAt,
    convertedContactId: r.convertedContactId,
    convertedCompanyId: r.convertedCompanyId,
    convertedDealId: r.convertedDealId,
    convertedContact: refOf(r.convertedContactId, r.convertedContactName),
    convertedCompany: refOf(r.convertedCompanyId, r.convertedCompanyName),
    convertedDeal: refOf(r.convertedDealId, r.convertedDealName),
    ownerId: r.ownerId,
    owner: presentOwner(r.ownerId, r.ownerName),
    tags: r.tags,
    custom: r.custom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

/** The refusal of any change to a converted lead, naming what it became. */
export function convertedError(lead: {
  convertedContactId: string | null;
  convertedCompanyId: string | null;
  convertedDealId: string | null;
}): AppError {
  return new AppError('LEAD_CONVERTED', {
    details: {
      contactId: lead.convertedContactId,
      companyId: lead.convertedCompanyId,
      dealId: lead.convertedDealId,
    },
  });
}

/**
 * What follows every write of leads, in the write's transaction (once per create or update,
 * once per import batch with all its new leads): the score, then the owner of new leads created
 * without one, by the assignment rules (which may look at the score).
 */
async function afterLeadsWritten(
  tx: Tx,
  actor: Actor,
  writes: AfterWrite<LeadInput, LeadRow>[],
): Promise<void> {
  // One resolver (the option lists the rules' conditions need, read once) for both.
  const resolver = new FieldResolver(OBJECT);
  await rescore(tx, OBJECT, { ids: writes.map((w) => w.id) }, resolver);
  await assignNewRecords(tx, actor, OBJECT, writes, resolver);
}

export const leadKind: RecordKind<LeadResponse, LeadInput, repo.LeadRecordRow> = {
  ...recordWriter({
    objectKey: OBJECT,
    load: repo.getLeadRow,
    normalize: leadValues,
    // A converted lead is read-only (as Salesforce locks it): every write path (PATCH, bulk,
    // import, merge) goes through update, which refuses it with LEAD_CONVERTED, not a
    // VERSION_CONFLICT, so clients tell the two 409s apart.
    check: (_tx, { before }) => {
      if (before?.status === 'converted') throw convertedError(before);
      return Promise.resolve();
    },
    insert: repo.insertLead,
    update: repo.updateLead,
    afterWrite: afterLeadsWritten,
  }),
  columns: (actor) => repo.leadColumns(convertedScopes(actor)),
  present: presentLead,
  patchSchema: leadCreateBody,
};
