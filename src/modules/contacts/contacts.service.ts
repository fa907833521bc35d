import { sql } from 'drizzle-orm';
import { can } from '../../core/permissions.js';
import type { ConsentEntry, ContactRow, Consent } from '../../db/schema/index.js';
import {
  composeDisplayName,
  foldForSearch,
  normalizeText,
  splitFullName,
} from '../../lib/vn/names.js';
import type { ContactInput } from './contacts.schemas.js';
import * as repo from './contacts.repository.js';
import { scopeCondition } from '../../core/scope.js';
import {
  cleanText,
  FieldErrors,
  messages,
  normalizeAddresses,
  normalizeEmails,
  normalizePhones,
  normalizeTags,
  phoneSearchTerms,
  primaryAddress,
  primaryValue,
  searchText,
} from '../records/normalize.js';
import { presentContact } from './contacts.presenter.js';
import { checkPriceList } from '../price-lists/price-lists.service.js';
import type { RecordKind } from '../records/kinds.js';
import { recordWriter } from '../records/writer.js';
import { contactCreateBody } from './contacts.schemas.js';

const OBJECT = 'contacts';

/** The search and sort keys of a contact (docs/customer-records.md, "Search keys"). */
export function contactSearchKeys(c: {
  familyName: string | null;
  middleName: string | null;
  givenName: string | null;
  displayName: string;
  emails: { value: string }[];
  phones: { value: string }[];
}) {
  const parts = { familyName: c.familyName, middleName: c.middleName, givenName: c.givenName };
  const hasParts = !!(c.familyName || c.middleName || c.givenName);
  const sortName = hasParts
    ? foldForSearch([c.givenName, c.familyName, c.middleName].filter(Boolean).join(' '))
    : foldForSearch(c.displayName);
  return {
    searchName: foldForSearch(c.displayName),
    sortName,
    searchText: searchText([
      c.displayName,
      hasParts ? composeDisplayName(parts, 'en') : null,
      ...c.emails.map((e) => e.value),
      ...c.phones.flatMap((p) => phoneSearchTerms(p.value)),
    ]),
  };
}

function consentOf(input: ContactInput['consent'], before: Consent): Consent {
  const out: Consent = { ...before };
  for (const channel of ['email', 'sms', 'zalo'] as const) {
    const e = input?.[channel];
    if (!e) continue;
    const entry: ConsentEntry = {
      status: e.status,
      at: e.at ?? new Date().toISOString(),
      method: cleanText(e.method),
    };
    out[channel] = entry;
  }
  return out;
}

/**
 * The columns of a contact after applying `input` to `before` (null when creating). Every
 * problem is collected in `errors`.
 */
function contactValues(
  before: ContactRow | null,
  input: ContactInput,
  errors: FieldErrors,
): Omit<repo.ContactValues, 'ownerId' | 'custom' | 'createdBy' | 'updatedBy'> {
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
  if (
    input.displayName !== undefined &&
    input.displayName !== null &&
    normalizeText(input.displayName)
  ) {
    displayName = normalizeText(input.displayName);
  } else if (namesTouched || !before || input.displayName !== undefined) {
    displayName = composeDisplayName({ familyName, middleName, givenName });
  } else {
    displayName = before.displayName;
  }
  if (!displayName) {
    errors.add(
      input.fullName !== undefined ? 'fullName' : 'givenName',
      messages.nameRequired,
      'required',
    );
  }

  const phones = input.phones ? normalizePhones(input.phones, errors) : (before?.phones ?? []);
  const emails = input.emails ? normalizeEmails(input.emails, errors) : (before?.emails ?? []);
  const addresses = input.addresses
    ? normalizeAddresses(input.addresses, errors)
    : (before?.addresses ?? []);
  const primary = primaryAddress(addresses);

  const pick = <K extends keyof ContactInput & keyof ContactRow>(k: K, fallback: ContactRow[K]) =>
    input[k] !== undefined ? input[k] : before ? before[k] : fallback;

  return {
    familyName,
    middleName,
    givenName,
    displayName,
    salutation: pick('salutation', null) ?? null,
    gender: pick('gender', null) ?? null,
    birthday: pick('birthday', null) ?? null,
    phones,
    emails,
    addresses,
    primaryPhone: primaryValue(phones),
    primaryEmail: primaryValue(emails),
    provinceCode: primary?.provinceCode ?? null,
    wardCode: primary?.wardCode ?? null,
    source: input.source !== undefined ? cleanText(input.source) : (before?.source ?? null),
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    lifecycleStage: input.lifecycleStage ?? before?.lifecycleStage ?? 'lead',
    priceListId:
      input.priceListId === undefined ? (before?.priceListId ?? null) : input.priceListId,
    paymentTermsDays:
      input.paymentTermsDays === undefined
        ? (before?.paymentTermsDays ?? null)
        : input.paymentTermsDays,
    consent: input.consent
      ? consentOf(input.consent, before?.consent ?? {})
      : (before?.consent ?? {}),
    ...contactSearchKeys({ familyName, middleName, givenName, displayName, emails, phones }),
  };
}

export const contactKind: RecordKind<
  ReturnType<typeof presentContact>,
  ContactInput,
  repo.ContactRecordRow
> = {
  ...recordWriter({
    objectKey: OBJECT,
    load: repo.getContactRow,
    normalize: contactValues,
    // A price list named (or changed to) is one of the workspace's active lists.
    check: (tx, { before, values, errors }) =>
      checkPriceList(tx, values.priceListId, before?.priceListId, errors),
    insert: repo.insertContact,
    update: repo.updateContact,
  }),
  // Companies limited to the ones the caller may see.
  columns: (actor) =>
    repo.contactColumns(
      can(actor, 'companies', 'read')
        ? (scopeCondition(actor, 'companies', sql`co.owner_id`) ?? undefined)
        : null,
    ),
  present: presentContact,
  patchSchema: contactCreateBody,
};
