import { getTableName } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import { companies, contactCompanies, contacts, notes } from '../../db/schema/index.js';
import type { AppContext } from '../../core/context.js';
import * as workspacesRepo from '../workspaces/workspaces.repository.js';
import {
  DemoGenerator,
  type CompanyInsert,
  type ContactCompanyInsert,
  type ContactInsert,
  type NoteInsert,
} from './generate.js';
import * as repo from './demo.repository.js';
import { actingMember, activeMembers, insertRows } from './factories.js';

export interface DemoOptions {
  /** Workspace id or name; default the only (or the first created) workspace. */
  workspace?: string | undefined;
  contacts: number;
  companies: number;
  seed: number;
  /** Replace the workspace's existing demo data instead of refusing. */
  force: boolean;
  /** End of the two-year window the rows are spread over (default: now). */
  now?: Date;
}

export interface DemoResult {
  workspaceId: string;
  workspaceName: string;
  owners: number;
  contacts: number;
  companies: number;
  links: number;
  notes: number;
  replaced: boolean;
}

/**
 * `sen demo`: fill a workspace with realistic Vietnamese companies, contacts (owned by the
 * workspace's active members, spread across them), their links and notes — in ONE transaction
 * through db.tenant(), so row-level security applies and a failure leaves nothing behind.
 * Every row is tagged DEMO_TAG ("demo"); a workspace that already has demo rows is refused
 * unless `force`, which deletes them (and their notes and links) first. The tables are ANALYZEd
 * afterwards: PGlite has no autovacuum, and without statistics the planner took the demo's
 * 300 companies for 2 and looked up each contact's companies by scanning them all (a kanban
 * board of 60 cards: 1 s of SQL instead of 60 ms).
 */
export async function seedDemo(ctx: AppContext, opts: DemoOptions): Promise<DemoResult> {
  const { workspace, members } = await ctx.db.system(async (tx) => {
    const all = await workspacesRepo.listWorkspaces(tx);
    const matches = opts.workspace
      ? all.filter(
          (w) => w.id === opts.workspace || w.name.toLowerCase() === opts.workspace?.toLowerCase(),
        )
      : all.slice(0, 1);
    const workspace = matches[0];
    if (!workspace || matches.length > 1) {
      throw new AppError(workspace ? 'CONFLICT' : 'NOT_FOUND', {
        text: {
          vi: 'Hãy chọn đúng một không gian làm việc bằng --workspace <id hoặc tên>.',
          en: 'Choose exactly one workspace with --workspace <id or name>.',
        },
      });
    }
    return { workspace, members: await activeMembers(tx, workspace.id) };
  });
  const actorId = actingMember(members)?.user_id;
  if (!actorId) {
    throw new AppError('CONFLICT', {
      text: {
        vi: 'Không gian làm việc chưa có thành viên nào để làm người phụ trách dữ liệu mẫu.',
        en: 'The workspace has no active member to own the demo data.',
      },
    });
  }

  const generator = new DemoGenerator({
    workspaceId: workspace.id,
    ownerIds: members.map((m) => m.user_id),
    contacts: opts.contacts,
    companies: opts.companies,
    seed: opts.seed,
    now: opts.now ?? new Date(),
  });
  const companyRows: CompanyInsert[] = [...generator.companies()];
  const contactRows: ContactInsert[] = [];
  const linkRows: ContactCompanyInsert[] = [];
  const noteRows: NoteInsert[] = [];
  for (const { contact, link, notes: contactNotes } of generator.contacts()) {
    contactRows.push(contact);
    if (link) linkRows.push(link);
    noteRows.push(...contactNotes);
  }

  const replaced = await ctx.db.tenant(
    { workspaceId: workspace.id, userId: actorId },
    async (tx) => {
      const existing = await repo.hasDemoData(tx);
      if (existing && !opts.force) {
        throw new AppError('CONFLICT', {
          text: {
            vi: 'Không gian làm việc này đã có dữ liệu mẫu. Dùng --force để thay thế.',
            en: 'This workspace already has demo data. Use --force to replace it.',
          },
        });
      }
      if (existing) await repo.deleteDemoData(tx);
      await insertRows(tx, companies, companyRows);
      await insertRows(tx, contacts, contactRows);
      await insertRows(tx, contactCompanies, linkRows);
      await insertRows(tx, notes, noteRows);
      return existing;
    },
  );
  // As the connecting user (ANALYZE needs the tables' owner), after the commit.
  const tables = [companies, contacts, contactCompanies, notes].map((t) => `"${getTableName(t)}"`);
  await ctx.db.executeSql(`ANALYZE ${tables.join(', ')}`);
  return {
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    owners: members.length,
    contacts: contactRows.length,
    companies: companyRows.length,
    links: linkRows.length,
    notes: noteRows.length,
    replaced,
  };
}
