import { sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { insertJsonRows, queryRows, textArray } from '../../db/sql.js';
import { contactCompanies } from '../../db/schema/index.js';
import { cleanText } from '../records/normalize.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import {
  addressTarget,
  emailsTarget,
  fullNameTarget,
  phonesTarget,
  provinceTarget,
} from '../imports/common-targets.js';
import type { ImportDeclaration } from '../imports/declaration.js';
import { recordObjectDefinition } from '../records/define.js';
import { linkIn } from '../relations/relations.service.js';
import { contactCompaniesRelation } from './contacts.relations.js';

const noCompany = {
  vi: 'Không tìm thấy công ty này và bạn không có quyền tạo công ty.',
  en: 'No such company, and you may not create companies.',
};

/**
 * The company a row names, by name (ignoring accents and case), among the live companies the
 * caller may see: the most recently updated one of that name; created when there is none.
 */
async function companyByName(tx: Tx, actor: Actor, name: string): Promise<string> {
  const scope = scopeCondition(actor, 'companies', sql`owner_id`);
  const [found] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM companies
         WHERE deleted_at IS NULL AND search_name = ${foldForSearch(name)}
           AND ${scope ?? sql`true`}
         ORDER BY updated_at DESC LIMIT 1`,
  );
  if (found) return found.id;
  const companies = recordObjectDefinition('companies');
  if (!companies || !can(actor, 'companies', 'create')) {
    throw new AppError('VALIDATION_FAILED', {
      details: { fields: [{ path: 'company', message: noCompany.en, text: noCompany }] },
    });
  }
  return companies.kind.create(tx, actor, { name });
}

/**
 * The companies of these names (ignoring accents and case) the caller may see, by folded name:
 * the most recently updated one of each name; the missing ones created.
 */
async function companiesByName(
  tx: Tx,
  actor: Actor,
  names: string[],
): Promise<Map<string, { id: string; name: string }>> {
  const byFolded = new Map<string, string>();
  for (const name of names)
    if (!byFolded.has(foldForSearch(name))) byFolded.set(foldForSearch(name), name);
  const scope = scopeCondition(actor, 'companies', sql`owner_id`);
  const found = await queryRows<{ id: string; name: string; search_name: string }>(
    tx,
    sql`SELECT DISTINCT ON (search_name) id, name, search_name FROM companies
         WHERE deleted_at IS NULL AND search_name = ANY(${textArray([...byFolded.keys()])})
           AND ${scope ?? sql`true`}
         ORDER BY search_name, updated_at DESC`,
  );
  const out = new Map(found.map((c) => [c.search_name, { id: c.id, name: c.name }]));
  for (const [folded, name] of byFolded) {
    if (!out.has(folded)) out.set(folded, { id: await companyByName(tx, actor, name), name });
  }
  return out;
}

/**
 * Contacts' imports: one full-name column split in three, phones, emails, an address matched to
 * province and ward, and a company column that links the contact to the company of that name
 * (created when the workspace has none), with the job title of its own column.
 */
export const contactsImport: ImportDeclaration = {
  targets: [
    fullNameTarget({ vi: 'Họ và tên', en: 'Full name' }),
    phonesTarget(),
    emailsTarget(),
    addressTarget(),
    provinceTarget(),
    {
      key: 'company',
      label: { vi: 'Công ty', en: 'Company' },
      hints: [
        'cong ty',
        'ten cong ty',
        'don vi',
        'don vi cong tac',
        'to chuc',
        'doanh nghiep',
        'company',
        'organization',
        'organisation',
        'organization name',
        'organization 1 name',
      ],
      apply: (body, text) => ((body.$company = text), null),
    },
    {
      key: 'jobTitle',
      label: { vi: 'Chức danh', en: 'Job title' },
      hints: [
        'chuc danh',
        'chuc vu',
        'vi tri',
        'job title',
        'title',
        'position',
        'organization title',
        'organization 1 title',
      ],
      apply: (body, text) => ((body.$jobTitle = text), null),
    },
  ],
  hints: {
    familyName: ['ho', 'last name', 'family name', 'surname'],
    middleName: ['ten dem', 'ten lot', 'middle name', 'additional name'],
    givenName: ['ten', 'first name', 'given name'],
    birthday: ['ngay sinh', 'sinh nhat', 'ngay thang nam sinh', 'birthday', 'date of birth', 'dob'],
    gender: ['gioi tinh', 'gender', 'sex'],
    salutation: ['danh xung', 'xung ho', 'salutation'],
    source: ['nguon', 'nguon khach', 'nguon khach hang', 'kenh', 'source', 'lead source'],
    tags: ['nhan', 'the', 'tags', 'labels', 'phan loai'],
    ownerId: [
      'nguoi phu trach',
      'phu trach',
      'nhan vien phu trach',
      'nhan vien kinh doanh',
      'owner',
      'sales rep',
    ],
    lifecycleStage: ['giai doan', 'trang thai', 'lifecycle stage', 'stage'],
  },
  // The fast path: the batch's new contacts linked to their companies in three statements
  // (find the named companies, create the missing ones, insert the links). A new contact's
  // first link is its primary one; the links go into its creation's audit entry.
  afterWriteMany: async (tx, actor, items) => {
    const audit = new Map<string, Record<string, unknown>>();
    const named = items
      .map((i) => ({
        contactId: i.recordId,
        company: typeof i.extras.company === 'string' ? normalizeText(i.extras.company) : '',
        jobTitle: typeof i.extras.jobTitle === 'string' ? cleanText(i.extras.jobTitle) : null,
      }))
      .filter((i) => i.company !== '');
    if (named.length === 0) return audit;
    const ids = await companiesByName(
      tx,
      actor,
      named.map((i) => i.company),
    );
    await insertJsonRows(
      tx,
      contactCompanies,
      named.map((i) => ({
        workspaceId: actor.workspaceId,
        contactId: i.contactId,
        companyId: ids.get(foldForSearch(i.company))!.id,
        jobTitle: i.jobTitle,
        isPrimary: true,
      })),
    );
    for (const i of named) {
      const company = ids.get(foldForSearch(i.company))!;
      audit.set(i.contactId, {
        companies: [
          { companyId: company.id, name: company.name, jobTitle: i.jobTitle, isPrimary: true },
        ],
      });
    }
    return audit;
  },
  afterWrite: async (tx, actor, contactId, extras) => {
    const name = typeof extras.company === 'string' ? extras.company.trim() : '';
    if (!name) return;
    const companyId = await companyByName(tx, actor, name);
    await linkIn(tx, actor, contactCompaniesRelation, contactId, {
      companyId,
      ...(typeof extras.jobTitle === 'string' ? { jobTitle: extras.jobTitle } : {}),
    });
  },
};
