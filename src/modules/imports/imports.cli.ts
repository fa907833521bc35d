import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import type { Locale } from '../../core/errors.js';
import { queryRows } from '../../db/sql.js';
import { activeMembers, actingMember } from '../demo/factories.js';
import * as repo from './imports.repository.js';
import {
  errorFile,
  fileTooLarge,
  getImport,
  startImport,
  uploadImport,
} from './imports.service.js';
import { runImport, type ImportOptions } from './run.js';

/**
 * `sen import <file> --object contacts` (issue #18): the wizard's steps without the browser, in
 * this process — upload and analyse (the same detection, the suggested mapping or the saved
 * template whose headers match), start, then run the job here (not on a server's queue) with its
 * progress printed, the report, and the error file written when asked. The same service calls as
 * the API, as a member of the workspace (by e-mail, or its first admin), so permissions, scope,
 * audit (channel "import") and undo are the same.
 */
export interface CliImportOptions {
  file: string;
  object: string;
  workspaceId: string;
  /** The member who imports (e-mail); default the workspace's first admin. */
  userEmail?: string | undefined;
  duplicates: ImportOptions['duplicates'];
  matchKeys?: string[] | undefined;
  sheet?: string | undefined;
  template?: string | undefined;
  /** Write the failed and skipped rows with their reasons here (CSV). */
  errorsOut?: string | undefined;
  locale: Locale;
}

export type CliImportResult = Awaited<ReturnType<typeof getImport>>;

export async function importFromFile(
  ctx: AppContext,
  opts: CliImportOptions,
  progress: (imp: CliImportResult) => void,
): Promise<CliImportResult> {
  const userId = await memberId(ctx, opts.workspaceId, opts.userEmail);
  const actor = await repo.actorOf(ctx.db, { createdBy: userId, workspaceId: opts.workspaceId });
  if (!actor) throw new AppError('FORBIDDEN');
  const stat = await fs.promises.stat(opts.file).catch(() => null);
  if (!stat?.isFile()) throw new AppError('NOT_FOUND', { details: { file: opts.file } });
  if (stat.size > ctx.config.importMaxBytes) throw fileTooLarge(ctx.config.importMaxBytes);

  const analysed = await uploadImport(ctx, actor, opts.object, {
    fileName: path.basename(opts.file),
    stream: fs.createReadStream(opts.file),
    truncated: () => false,
    ...(opts.sheet ? { sheet: opts.sheet } : {}),
  });
  progress(analysed);
  const options: ImportOptions = {
    duplicates: opts.duplicates,
    ...(opts.matchKeys ? { matchKeys: opts.matchKeys } : {}),
  };
  await startImport(ctx, actor, analysed.id, {
    mapping: analysed.mapping,
    options,
    ...(opts.template ? { template: opts.template } : {}),
  });
  const ids = { importId: analysed.id, workspaceId: opts.workspaceId };
  const timer = setInterval(() => {
    void getImport(ctx, actor, analysed.id).then(progress, () => undefined);
  }, 1000);
  try {
    await runImport(ctx.db, { config: ctx.config, logger: ctx.logger }, ids);
  } finally {
    clearInterval(timer);
  }
  const done = await getImport(ctx, actor, analysed.id);
  if (opts.errorsOut && done.failed + done.skipped > 0) {
    const out = fs.createWriteStream(opts.errorsOut);
    for await (const chunk of errorFile(ctx, actor, analysed.id, opts.locale)) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
  }
  return done;
}

/** The importing member: by e-mail among the workspace's active members, else its first admin. */
async function memberId(
  ctx: AppContext,
  workspaceId: string,
  email: string | undefined,
): Promise<string> {
  return ctx.db.system(async (tx) => {
    if (email) {
      const [row] = await queryRows<{ user_id: string }>(
        tx,
        sql`SELECT m.user_id FROM workspace_members m JOIN users u ON u.id = m.user_id
             WHERE m.workspace_id = ${workspaceId} AND m.status = 'active'
               AND lower(u.email) = lower(${email})`,
      );
      if (!row) throw new AppError('NOT_FOUND', { details: { user: email } });
      return row.user_id;
    }
    const acting = actingMember(await activeMembers(tx, workspaceId));
    if (!acting) throw new AppError('NOT_FOUND', { details: { workspace: workspaceId } });
    return acting.user_id;
  });
}
