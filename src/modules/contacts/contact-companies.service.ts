import { auditChange } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../../core/context.js';
import { normalizeText } from '../../lib/vn/names.js';
import { loadAccessibleRecord } from '../records/access.js';
import * as contactsRepo from './contacts.repository.js';
import type { ContactCompanyRow } from './contacts.repository.js';
import { loadRecords, type RecordKind } from '../records/kinds.js';
import { FieldResolver, listPage, type ListParams } from '../records/list.js';
import { invalid, messages } from '../records/normalize.js';

/**
 * The contact ↔ company relation (a contact works at companies, with a job title; one link is
 * the primary one): its own module, offered by the contacts object's declaration (`routes`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind<Out = unknown> = RecordKind<Out, any>;

async function linksSnapshot(tx: Tx, contactId: string) {
  return (await contactsRepo.linksOf(tx, contactId)).map((l) => ({ ...l }));
}

type ContactsKind = AnyKind<{ companies: ContactCompanyRow[] }>;

async function presentedLinks(tx: Tx, actor: Actor, kind: ContactsKind, contactId: string) {
  const [contact] = await loadRecords(tx, actor, kind, [contactId]);
  return { items: contact?.companies ?? [] };
}

export async function listContactCompanies(
  ctx: AppContext,
  actor: Actor,
  contacts: ContactsKind,
  contactId: string,
) {
  authorize(actor, 'contacts', 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'contacts', contactId, 'read');
    return presentedLinks(tx, actor, contacts, contactId);
  });
}

/** Link (or update the link of) a contact and a company; the first link is the primary one. */
export async function linkCompany(
  ctx: AppContext,
  actor: Actor,
  contacts: ContactsKind,
  contactId: string,
  input: {
    companyId: string;
    jobTitle?: string | null | undefined;
    isPrimary?: boolean | undefined;
  },
) {
  authorize(actor, 'contacts', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'contacts', contactId, 'update');
    try {
      await loadAccessibleRecord(tx, actor, 'companies', input.companyId, 'read');
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw invalid('companyId', messages.companyNotFound, 'not_found');
      }
      throw err;
    }
    const before = await linksSnapshot(tx, contactId);
    const existing = before.find((l) => l.companyId === input.companyId);
    await contactsRepo.upsertLink(tx, actor.workspaceId, {
      contactId,
      companyId: input.companyId,
      jobTitle:
        input.jobTitle !== undefined
          ? normalizeText(input.jobTitle ?? '') || null
          : (existing?.jobTitle ?? null),
      isPrimary: input.isPrimary ?? existing?.isPrimary ?? !before.some((l) => l.isPrimary),
    });
    await linksChanged(tx, actor, contactId, before);
    return presentedLinks(tx, actor, contacts, contactId);
  });
}

export async function unlinkCompany(
  ctx: AppContext,
  actor: Actor,
  contactId: string,
  companyId: string,
): Promise<void> {
  authorize(actor, 'contacts', 'update');
  await ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'contacts', contactId, 'update');
    const before = await linksSnapshot(tx, contactId);
    if (!(await contactsRepo.deleteLink(tx, contactId, companyId))) {
      throw new AppError('NOT_FOUND');
    }
    await linksChanged(tx, actor, contactId, before);
  });
}

/**
 * After a link was added, changed or removed: one link stays primary, the contact counts as
 * updated (updated_at/by), and the audit log records its companies before → after.
 */
async function linksChanged(
  tx: Tx,
  actor: Actor,
  contactId: string,
  before: Awaited<ReturnType<typeof linksSnapshot>>,
): Promise<void> {
  await contactsRepo.ensurePrimaryLink(tx, contactId);
  await contactsRepo.touchContact(tx, contactId, actor.userId);
  const after = await linksSnapshot(tx, contactId);
  await auditChange(tx, actor, 'contacts', contactId, { companies: before }, { companies: after });
}

/** A company's contacts (the related panel): paged like lists, the contacts scope applied. */
export async function companyContacts<Out extends { companies: ContactCompanyRow[] }>(
  ctx: AppContext,
  actor: Actor,
  contacts: AnyKind<Out>,
  companyId: string,
  params: ListParams,
) {
  authorize(actor, 'contacts', 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'companies', companyId, 'read');
    const page = await listPage(
      tx,
      actor,
      new FieldResolver('contacts'),
      { ...params, trash: false },
      contacts.columns(actor),
      contactsRepo.linkedToCompany(companyId),
    );
    const items = page.rows
      .map((r) => contacts.present(r))
      .map((c) => {
        const link = c.companies.find((l) => l.companyId === companyId);
        return { ...c, jobTitle: link?.jobTitle ?? null, isPrimary: link?.isPrimary ?? false };
      });
    return { items, nextCursor: page.nextCursor };
  });
}
