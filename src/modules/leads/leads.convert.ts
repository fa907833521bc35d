import { and, eq, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { attachments, notes } from '../../db/schema/index.js';
import { queryOne, queryRows, uuidArray } from '../../db/sql.js';
import { companyKind } from '../companies/companies.service.js';
import { contactCompaniesRelation } from '../contacts/contacts.relations.js';
import { contactKind } from '../contacts/contacts.service.js';
import { dealContactsRelation } from '../deals/deals.relations.js';
import { dealKind } from '../deals/deals.service.js';
import { workspaceOptions } from '../field-options/field-options.service.js';
import { loadAccessibleRecord } from '../records/access.js';
import { recordObjectDefinition } from '../records/define.js';
import { findDuplicateRows } from '../records/duplicates.repository.js';
import { invalid } from '../records/normalize.js';
import { getRecordObject } from '../records/registry.js';
import { linkIn } from '../relations/relations.service.js';
import { linksOf } from '../relations/relations.repository.js';
import * as repo from './leads.repository.js';
import type { ConvertInput, ConvertPreview, ConvertResult } from './leads.convert.schemas.js';
import { convertedError } from './leads.service.js';
import { leads, type LeadRow } from './leads.table.js';

/**
 * Lead conversion (#19): a qualified lead becomes a contact (new, or an existing one that holds
 * its email or phone), optionally a company (new from its company name and tax code, or an
 * existing one) and a deal, in one transaction. Every permission is checked before anything is
 * written; the records are created through their objects' own writers (validation, custom
 * values, option lists, audit as any create); the lead's notes and attachments move to the
 * contact, its own history stays on it (and shows on the contact's, company's and deal's
 * timelines through the leads declaration's timeline relations); the lead is marked converted
 * with what it became, audited once as `convert`, and is read-only from then on.
 */

export const messages = {
  alreadyConverted: {
    vi: 'Khách hàng tiềm năng này đã được chuyển đổi rồi: không thể chuyển đổi lần nữa.',
    en: 'This lead has already been converted: it cannot be converted again.',
  },
  contactRequired: {
    vi: 'Chọn liên hệ có sẵn để dùng.',
    en: 'Choose the existing contact to use.',
  },
  contactNotFound: {
    vi: 'Không tìm thấy liên hệ này (hoặc đã bị xoá).',
    en: 'This contact does not exist or is in the trash.',
  },
  companyRequired: {
    vi: 'Chọn công ty có sẵn để dùng.',
    en: 'Choose the existing company to use.',
  },
  companyNotFound: {
    vi: 'Không tìm thấy công ty này (hoặc đã bị xoá).',
    en: 'This company does not exist or is in the trash.',
  },
  companyNameRequired: {
    vi: 'Cần nhập tên công ty (khách hàng tiềm năng không có tên công ty).',
    en: 'Enter the company name (the lead has none).',
  },
  duplicateContact: {
    vi: 'Đã có liên hệ trùng email hoặc số điện thoại của khách hàng tiềm năng này. Hãy dùng liên hệ có sẵn, hoặc xác nhận tạo liên hệ mới.',
    en: 'A contact already has this lead’s email or phone. Use it, or confirm that a new contact should be created.',
  },
  duplicateCompany: {
    vi: 'Đã có công ty cùng mã số thuế. Hãy dùng công ty có sẵn, hoặc xác nhận tạo công ty mới.',
    en: 'A company already has this tax code. Use it, or confirm that a new company should be created.',
  },
} satisfies Record<string, LocalisedText>;

/** At most this many matches of each kind are proposed. */
const MATCHES = 10;

interface Matches {
  contacts: { id: string; name: string; matchedOn: ('email' | 'phone')[] }[];
  contactsOutsideScope: boolean;
  companies: { id: string; name: string; matchedOn: 'taxCode' | 'name' }[];
  companiesOutsideScope: boolean;
}

/** `ARRAY[$1::text, …]`. */
const textValues = (values: string[]): SQL =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}::text`),
    sql`, `,
  )}]::text[]`;

/**
 * The live contacts holding one of the lead's emails or phones, and the companies with its tax
 * code (then its exact company name), through the objects' declared duplicate keys: names only
 * of those the caller may see, and of the others only that there are some.
 */
async function findMatches(tx: Tx, actor: Actor, lead: LeadRow): Promise<Matches> {
  const out: Matches = {
    contacts: [],
    contactsOutsideScope: false,
    companies: [],
    companiesOutsideScope: false,
  };
  const contacts = getRecordObject('contacts');
  const contactKeys = recordObjectDefinition('contacts')?.duplicateKeys ?? [];
  if (contacts && can(actor, 'contacts', 'read')) {
    const scope = scopeCondition(actor, 'contacts', sql`${contacts.columns.ownerId}`);
    const byId = new Map<string, Matches['contacts'][number]>();
    const asked = [
      { key: 'emails', on: 'email' as const, values: lead.emails.map((e) => e.value) },
      { key: 'phones', on: 'phone' as const, values: lead.phones.map((p) => p.value) },
    ];
    for (const { key: keyName, on, values } of asked) {
      const key = contactKeys.find((k) => k.key === keyName);
      if (!key || values.length === 0) continue;
      const rows = await findDuplicateRows(tx, contacts, {
        match: key.candidates
          ? sql`${contacts.columns.id} IN (SELECT id FROM ${key.candidates(textValues(values))})`
          : sql.join(
              values.map((v) => key.matches(v)),
              sql` OR `,
            ),
        scope,
        excludeId: null,
        limit: MATCHES,
      });
      for (const r of rows) {
        if (!r.visible) {
          out.contactsOutsideScope = true;
          continue;
        }
        const m = byId.get(r.id) ?? { id: r.id, name: r.name, matchedOn: [] };
        if (!m.matchedOn.includes(on)) m.matchedOn.push(on);
        byId.set(r.id, m);
      }
    }
    out.contacts = [...byId.values()];
  }
  const companies = getRecordObject('companies');
  const taxKey = recordObjectDefinition('companies')?.duplicateKeys?.find(
    (k) => k.key === 'taxCode',
  );
  if (companies && can(actor, 'companies', 'read')) {
    const scope = scopeCondition(actor, 'companies', sql`${companies.columns.ownerId}`);
    const seen = new Set<string>();
    const asked: { on: 'taxCode' | 'name'; match: SQL }[] = [];
    if (lead.taxCode && taxKey) asked.push({ on: 'taxCode', match: taxKey.matches(lead.taxCode) });
    if (lead.companyName) {
      asked.push({
        on: 'name',
        match: sql`lower(${companies.columns.name}) = lower(${lead.companyName})`,
      });
    }
    for (const { on, match } of asked) {
      const rows = await findDuplicateRows(tx, companies, {
        match,
        scope,
        excludeId: null,
        limit: MATCHES,
      });
      for (const r of rows) {
        if (!r.visible) {
          // Only a tax code says it is the same company; a name alone is a suggestion.
          if (on === 'taxCode') out.companiesOutsideScope = true;
          continue;
        }
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.companies.push({ id: r.id, name: r.name, matchedOn: on });
      }
    }
  }
  return out;
}

/** "Công ty Minh Phát – 07/12/2026": the company (or the person) and today in the workspace. */
async function defaultDealName(tx: Tx, lead: LeadRow, companyName: string | null) {
  const row = await queryOne<{ today: string }>(
    tx,
    sql`SELECT to_char(now() AT TIME ZONE coalesce(
                 (SELECT w.timezone FROM workspaces w WHERE w.id = sen_workspace_id()),
                 'Asia/Ho_Chi_Minh'), 'DD/MM/YYYY') AS today`,
  );
  return `${companyName || lead.displayName} – ${row?.today ?? ''}`;
}

/** GET /leads/:id/convert/preview: the matches and starting values of the conversion dialog. */
export async function conversionPreview(
  ctx: AppContext,
  actor: Actor,
  leadId: string,
): Promise<ConvertPreview> {
  authorize(actor, 'leads', 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'leads', leadId, 'read');
    const lead = await repo.getLeadRow(tx, leadId);
    if (!lead) throw new AppError('NOT_FOUND');
    const matches = await findMatches(tx, actor, lead);
    const details = await contactDetails(
      tx,
      matches.contacts.map((c) => c.id),
    );
    const taxCodes = await companyTaxCodes(
      tx,
      matches.companies.map((c) => c.id),
    );
    return {
      contacts: matches.contacts.map((c) => ({
        ...c,
        primaryEmail: details.get(c.id)?.primaryEmail ?? null,
        primaryPhone: details.get(c.id)?.primaryPhone ?? null,
      })),
      contactsOutsideScope: matches.contactsOutsideScope,
      companies: matches.companies.map((c) => ({ ...c, taxCode: taxCodes.get(c.id) ?? null })),
      companiesOutsideScope: matches.companiesOutsideScope,
      defaults: {
        companyName: lead.companyName,
        dealName: await defaultDealName(tx, lead, lead.companyName),
        ownerId: lead.ownerId,
      },
    };
  });
}

async function contactDetails(tx: Tx, ids: string[]) {
  if (ids.length === 0) return new Map<string, never>();
  const rows = await queryRows<{
    id: string;
    primaryEmail: string | null;
    primaryPhone: string | null;
  }>(
    tx,
    sql`SELECT id, primary_email AS "primaryEmail", primary_phone AS "primaryPhone"
          FROM contacts WHERE id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

async function companyTaxCodes(tx: Tx, ids: string[]) {
  if (ids.length === 0) return new Map<string, string | null>();
  const rows = await queryRows<{ id: string; taxCode: string | null }>(
    tx,
    sql`SELECT id, tax_code AS "taxCode" FROM companies WHERE id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, r.taxCode]));
}

/** A create's field errors under its part of the conversion body (`contact.emails.0.value`). */
async function under<T>(prefix: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const fields = err instanceof AppError ? err.details?.fields : undefined;
    if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED' || !fields) throw err;
    throw new AppError('VALIDATION_FAILED', {
      ...(err.text ? { text: err.text } : {}),
      details: {
        ...err.details,
        fields: fields.map((f) => ({ ...f, path: `${prefix}.${f.path}` })),
      },
    });
  }
}

/** An existing record the conversion links (update on it, within the caller's scope). */
async function existing(
  tx: Tx,
  actor: Actor,
  object: 'contacts' | 'companies',
  id: string | undefined,
  path: string,
  text: { required: LocalisedText; notFound: LocalisedText },
) {
  if (!id) throw invalid(path, text.required, 'required');
  try {
    return await loadAccessibleRecord(tx, actor, object, id, 'update');
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      throw invalid(path, text.notFound, 'not_found');
    }
    throw err;
  }
}

/** Notes and attachments of the lead → the contact (their authors and dates kept). */
async function moveChildren(tx: Tx, leadId: string, contactId: string) {
  const moved = { notes: 0, attachments: 0 };
  for (const [key, table] of [
    ['notes', notes],
    ['attachments', attachments],
  ] as const) {
    const rows = await tx
      .update(table)
      .set({ recordType: 'contacts', recordId: contactId })
      .where(and(eq(table.recordType, 'leads'), eq(table.recordId, leadId)))
      .returning({ id: table.id });
    moved[key] = rows.length;
  }
  return moved;
}

/** POST /leads/:id/convert. */
export async function convertLead(
  ctx: AppContext,
  actor: Actor,
  leadId: string,
  input: ConvertInput,
): Promise<ConvertResult> {
  const contactIn = input.contact ?? { mode: 'new' as const };
  const dealIn = input.deal?.create ? input.deal : null;
  // The permissions every part needs, before anything is read or written.
  authorize(actor, 'leads', 'update');
  authorize(actor, 'contacts', contactIn.mode === 'new' ? 'create' : 'update');
  if (input.company?.mode === 'new') authorize(actor, 'companies', 'create');
  if (input.company?.mode === 'existing') authorize(actor, 'companies', 'update');
  if (dealIn) authorize(actor, 'deals', 'create');

  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'leads', leadId, 'update');
    const lead = await repo.getLeadRow(tx, leadId, { forUpdate: true });
    if (!lead) throw new AppError('NOT_FOUND');
    if (lead.status === 'converted') {
      const refused = convertedError(lead);
      throw new AppError('LEAD_CONVERTED', {
        text: messages.alreadyConverted,
        ...(refused.details ? { details: refused.details } : {}),
      });
    }
    const companyIn: NonNullable<ConvertInput['company']> = input.company ?? {
      mode: lead.companyName ? 'new' : 'none',
    };
    if (companyIn.mode === 'new') authorize(actor, 'companies', 'create');

    // Everything the conversion links is checked (scope included) before the first write.
    const existingContact =
      contactIn.mode === 'existing'
        ? await existing(tx, actor, 'contacts', contactIn.id, 'contact.id', {
            required: messages.contactRequired,
            notFound: messages.contactNotFound,
          })
        : null;
    const existingCompany =
      companyIn.mode === 'existing'
        ? await existing(tx, actor, 'companies', companyIn.id, 'company.id', {
            required: messages.companyRequired,
            notFound: messages.companyNotFound,
          })
        : null;
    const companyName =
      companyIn.mode === 'new' ? (companyIn.name ?? lead.companyName ?? '').trim() : '';
    if (companyIn.mode === 'new' && !companyName) {
      throw invalid('company.name', messages.companyNameRequired, 'required');
    }
    // Matching instead of duplicating: a new contact or company the lead's values already name
    // is refused with the matches unless the caller confirms (allowDuplicate).
    const wantsNewContact = contactIn.mode === 'new' && !contactIn.allowDuplicate;
    const wantsNewCompany = companyIn.mode === 'new' && !companyIn.allowDuplicate;
    if (wantsNewContact || wantsNewCompany) {
      const m = await findMatches(tx, actor, lead);
      const contactDup = wantsNewContact && (m.contacts.length > 0 || m.contactsOutsideScope);
      const taxMatches = m.companies.filter((c) => c.matchedOn === 'taxCode');
      const companyDup =
        wantsNewCompany &&
        !!lead.taxCode &&
        (!companyIn.name || companyIn.name === lead.companyName) &&
        (taxMatches.length > 0 || m.companiesOutsideScope);
      if (contactDup || companyDup) {
        throw new AppError('DUPLICATE_FOUND', {
          text: contactDup ? messages.duplicateContact : messages.duplicateCompany,
          details: {
            contacts: contactDup
              ? m.contacts.map(({ id, name, matchedOn }) => ({ id, name, matchedOn }))
              : [],
            contactsOutsideScope: contactDup && m.contactsOutsideScope,
            companies: companyDup ? taxMatches.map(({ id, name }) => ({ id, name })) : [],
            companiesOutsideScope: companyDup && m.companiesOutsideScope,
          },
        });
      }
    }

    // The records' owner: the lead's (as HubSpot and Salesforce carry it over), else the caller.
    const ownerId = lead.ownerId ?? undefined;
    let company: ConvertResult['company'] = null;
    if (existingCompany) {
      company = { id: existingCompany.id, name: existingCompany.name, created: false };
    } else if (companyIn.mode === 'new') {
      const id = await under('company', () =>
        companyKind.create(tx, actor, {
          name: companyName,
          // A tax code typed under another company name belongs to the lead's company only.
          ...(lead.taxCode && (!companyIn.name || companyIn.name === lead.companyName)
            ? { taxCode: lead.taxCode }
            : {}),
          ownerId,
        }),
      );
      company = { id, name: companyName, created: true };
    }

    let contact: ConvertResult['contact'];
    if (existingContact) {
      contact = { id: existingContact.id, name: existingContact.name, created: false };
    } else {
      const source = await sourceLabel(tx, lead.source);
      const id = await under('contact', () =>
        contactKind.create(tx, actor, {
          familyName: lead.familyName,
          middleName: lead.middleName,
          givenName: lead.givenName,
          displayName: lead.displayName,
          phones: lead.phones,
          emails: lead.emails,
          addresses: lead.addresses,
          source,
          ownerId,
        }),
      );
      contact = { id, name: lead.displayName, created: true };
    }

    if (company) {
      const links = await linksOf(tx, contactCompaniesRelation, contact.id);
      if (!links.some((l) => l.companyId === company.id)) {
        await under('company', () =>
          linkIn(tx, actor, contactCompaniesRelation, contact.id, {
            companyId: company.id,
            jobTitle: lead.jobTitle,
          }),
        );
      }
    }

    let deal: ConvertResult['deal'] = null;
    if (dealIn) {
      const name = dealIn.name?.trim() || (await defaultDealName(tx, lead, company?.name ?? null));
      const id = await under('deal', () =>
        dealKind.create(tx, actor, {
          name,
          ...(dealIn.amount !== undefined ? { amount: dealIn.amount } : {}),
          ...(dealIn.pipelineId ? { pipelineId: dealIn.pipelineId } : {}),
          ...(dealIn.stageId ? { stageId: dealIn.stageId } : {}),
          ...(dealIn.expectedCloseDate !== undefined
            ? { expectedCloseDate: dealIn.expectedCloseDate }
            : {}),
          companyId: company?.id ?? null,
          ownerId: dealIn.ownerId !== undefined ? dealIn.ownerId : ownerId,
        }),
      );
      // Where the deal came from (the sales report's leads by source): part of its creation,
      // so it keeps the version it was created with.
      await tx.execute(sql`SELECT set_config('sen.keep_version', 'on', true)`);
      await tx.execute(sql`UPDATE deals SET source_lead_id = ${lead.id} WHERE id = ${id}`);
      await tx.execute(sql`SELECT set_config('sen.keep_version', 'off', true)`);
      await under('deal', () =>
        linkIn(tx, actor, dealContactsRelation, id, {
          contactId: contact.id,
          role: dealIn.role ?? null,
          isPrimary: true,
        }),
      );
      deal = { id, name, created: true };
    }

    const moved = await moveChildren(tx, lead.id, contact.id);
    const [after] = await tx
      .update(leads)
      .set({
        status: 'converted',
        convertedAt: sql`now()`,
        convertedContactId: contact.id,
        convertedCompanyId: company?.id ?? null,
        convertedDealId: deal?.id ?? null,
        updatedBy: actor.userId,
        updatedAt: sql`now()`,
      })
      .where(eq(leads.id, lead.id))
      .returning({ convertedAt: leads.convertedAt });
    await recordAudit(tx, actor, {
      action: 'convert',
      objectType: 'leads',
      objectId: lead.id,
      changes: {
        status: { from: lead.status, to: 'converted' },
        convertedAt: { from: null, to: asIso(after?.convertedAt ?? null) },
        convertedContactId: { from: null, to: contact.id },
        ...(company ? { convertedCompanyId: { from: null, to: company.id } } : {}),
        ...(deal ? { convertedDealId: { from: null, to: deal.id } } : {}),
        ...(moved.notes > 0 ? { movedNotes: { from: null, to: moved.notes } } : {}),
        ...(moved.attachments > 0
          ? { movedAttachments: { from: null, to: moved.attachments } }
          : {}),
      },
    });
    return { leadId: lead.id, contact, company, deal, moved };
  });
}

function asIso(v: Date | string | null): string | null {
  if (v === null) return null;
  return (typeof v === 'string' ? new Date(v) : v).toISOString();
}

/** The contact's source in words (contacts keep it as text): the lead source's label. */
async function sourceLabel(tx: Tx, key: string | null): Promise<string | null> {
  if (!key) return null;
  const options = (await workspaceOptions(tx, 'leads')).get('source') ?? [];
  return options.find((o) => o.key === key)?.label.vi ?? key;
}

/** The leads a record became (a contact, company or deal), for its timeline. */
export function convertedInto(column: 'contact' | 'company' | 'deal') {
  const col = sql.identifier(`converted_${column}_id`);
  return async (tx: Tx, actor: Actor, id: string) => {
    if (!can(actor, 'leads', 'read')) return [];
    const scope = scopeCondition(actor, 'leads', sql`l.owner_id`);
    return queryRows<{ id: string; name: string }>(
      tx,
      sql`SELECT l.id, l.display_name AS name FROM ${leads} l
           WHERE l.${col} = ${id} AND l.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
    );
  };
}
