import { sql } from 'drizzle-orm';
import { can } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CompanyRow } from '../../db/schema/index.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import { companyCreateBody, type CompanyInput } from './companies.schemas.js';
import * as repo from './companies.repository.js';
import type { RecordKind } from '../records/kinds.js';
import { recordWriter } from '../records/writer.js';
import { scopeCondition } from '../../core/scope.js';
import {
  cleanText,
  FieldErrors,
  messages,
  normalizeAddresses,
  normalizeEmails,
  normalizePhones,
  normalizeTags,
  normalizeTaxCodeField,
  normalizeWebsite,
  phoneSearchTerms,
  primaryAddress,
  searchText,
} from '../records/normalize.js';
import { presentCompany } from './companies.presenter.js';
import { checkPriceList } from '../price-lists/price-lists.service.js';

const OBJECT = 'companies';

export function companySearchKeys(c: {
  name: string;
  taxCode: string | null;
  emails: { value: string }[];
  phones: { value: string }[];
}) {
  const name = foldForSearch(c.name);
  return {
    searchName: name,
    sortName: name,
    searchText: searchText([
      c.name,
      c.taxCode,
      c.taxCode?.replace('-', ''),
      ...c.emails.map((e) => e.value),
      ...c.phones.flatMap((p) => phoneSearchTerms(p.value)),
    ]),
  };
}

function companyValues(
  before: CompanyRow | null,
  input: CompanyInput,
  errors: FieldErrors,
): Omit<repo.CompanyValues, 'ownerId' | 'custom' | 'createdBy' | 'updatedBy'> & {
  parentId: string | null;
  priceListId: string | null;
} {
  let name = before?.name ?? '';
  if (input.name !== undefined) name = normalizeText(input.name);
  if (!name) errors.add('name', messages.nameRequired, 'required');
  const taxCode =
    input.taxCode !== undefined
      ? normalizeTaxCodeField(input.taxCode, errors)
      : (before?.taxCode ?? null);
  const website =
    input.website !== undefined
      ? normalizeWebsite(input.website, errors)
      : (before?.website ?? null);
  const phones = input.phones ? normalizePhones(input.phones, errors) : (before?.phones ?? []);
  const emails = input.emails ? normalizeEmails(input.emails, errors) : (before?.emails ?? []);
  const addresses = input.addresses
    ? normalizeAddresses(input.addresses, errors)
    : (before?.addresses ?? []);
  const primary = primaryAddress(addresses);
  const text = (k: 'industry' | 'size') =>
    input[k] !== undefined ? cleanText(input[k]) : (before?.[k] ?? null);
  return {
    name,
    taxCode,
    type: input.type ?? before?.type ?? 'prospect',
    industry: text('industry'),
    size: text('size'),
    website,
    phones,
    emails,
    addresses,
    provinceCode: primary?.provinceCode ?? null,
    wardCode: primary?.wardCode ?? null,
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    parentId: input.parentId === undefined ? (before?.parentId ?? null) : input.parentId,
    priceListId:
      input.priceListId === undefined ? (before?.priceListId ?? null) : input.priceListId,
    paymentTermsDays:
      input.paymentTermsDays === undefined
        ? (before?.paymentTermsDays ?? null)
        : input.paymentTermsDays,
    ...companySearchKeys({ name, taxCode, emails, phones }),
  };
}

/** A parent: an existing company of the workspace, not in the trash, not making a cycle. */
async function checkParent(
  tx: Tx,
  companyId: string | null,
  parentId: string | null,
  errors: FieldErrors,
): Promise<void> {
  if (parentId === null) return;
  const parent = await repo.getCompanyRow(tx, parentId);
  if (!parent) {
    errors.add('parentId', messages.parentNotFound, 'not_found');
    return;
  }
  if (companyId && (await repo.isSelfOrDescendant(tx, companyId, parentId))) {
    errors.add('parentId', messages.parentCycle, 'cycle');
  }
}

export const companyKind: RecordKind<
  ReturnType<typeof presentCompany>,
  CompanyInput,
  repo.CompanyRecordRow
> = {
  ...recordWriter({
    objectKey: OBJECT,
    load: repo.getCompanyRow,
    normalize: companyValues,
    // The parent is checked when it is set or changed.
    check: async (tx, { id, before, values, errors }) => {
      if (values.parentId !== (before?.parentId ?? null)) {
        await checkParent(tx, id, values.parentId, errors);
      }
      await checkPriceList(tx, values.priceListId, before?.priceListId, errors);
    },
    insert: repo.insertCompany,
    update: repo.updateCompany,
  }),
  columns: (actor) =>
    repo.companyColumns({
      companies: scopeCondition(actor, OBJECT, sql`p.owner_id`) ?? undefined,
      contacts: can(actor, 'contacts', 'read')
        ? (scopeCondition(actor, 'contacts', sql`c.owner_id`) ?? undefined)
        : null,
    }),
  present: presentCompany,
  patchSchema: companyCreateBody,
};
