import { sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CompanyRow } from '../../db/schema/index.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import { companyCreateBody, type CompanyInput } from './companies.schemas.js';
import * as repo from './companies.repository.js';
import {
  checkOwner,
  customValuesFor,
  mapWriteError,
  recordWritten,
  type RecordKind,
} from '../records/kinds.js';
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
): Omit<repo.CompanyValues, 'ownerId' | 'custom' | 'createdBy' | 'updatedBy' | 'parentId'> {
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

async function createCompany(tx: Tx, actor: Actor, input: CompanyInput): Promise<string> {
  const errors = new FieldErrors();
  const values = companyValues(null, input, errors);
  const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
  const parentId = input.parentId ?? null;
  await checkOwner(tx, actor, OBJECT, 'create', ownerId, errors);
  await checkParent(tx, null, parentId, errors);
  const { fields, custom } = await customValuesFor(tx, OBJECT, input.custom, null, errors);
  errors.throwIfAny();
  const row = await mapWriteError(() =>
    repo.insertCompany(tx, actor.workspaceId, {
      ...values,
      ownerId,
      parentId,
      custom,
      createdBy: actor.userId,
      updatedBy: actor.userId,
    }),
  );
  await recordWritten(tx, actor, OBJECT, fields, null, row);
  return row.id;
}

async function updateCompany(tx: Tx, actor: Actor, id: string, input: CompanyInput): Promise<void> {
  const before = await repo.getCompanyRow(tx, id, { forUpdate: true });
  if (!before) throw new AppError('NOT_FOUND');
  authorize(actor, OBJECT, 'update', { ownerId: before.ownerId });
  const errors = new FieldErrors();
  const values = companyValues(before, input, errors);
  const ownerId = input.ownerId === undefined ? before.ownerId : input.ownerId;
  if (ownerId !== before.ownerId) await checkOwner(tx, actor, OBJECT, 'update', ownerId, errors);
  const parentId = input.parentId === undefined ? before.parentId : input.parentId;
  if (parentId !== before.parentId) await checkParent(tx, id, parentId, errors);
  const { fields, custom } = await customValuesFor(tx, OBJECT, input.custom, before.custom, errors);
  errors.throwIfAny();
  const after = await mapWriteError(() =>
    repo.updateCompany(tx, id, { ...values, ownerId, parentId, custom, updatedBy: actor.userId }),
  );
  await recordWritten(tx, actor, OBJECT, fields, before, after);
}

export const companyKind: RecordKind<
  ReturnType<typeof presentCompany>,
  CompanyInput,
  repo.CompanyRecordRow
> = {
  key: OBJECT,
  create: createCompany,
  update: updateCompany,
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
