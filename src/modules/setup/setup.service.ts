import { AppError, type Locale } from '../../core/errors.js';
import type { Channel } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { assertStrongPassword, hashPassword } from '../auth/passwords.js';
import * as workspacesRepo from '../workspaces/workspaces.repository.js';
import { createWorkspaceForUser } from '../workspaces/workspaces.service.js';

export interface SetupInput {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
  locale: Locale;
  currency: string;
  timezone: string;
}

export async function needsSetup(ctx: AppContext): Promise<boolean> {
  return (await ctx.db.system((tx) => workspacesRepo.countWorkspaces(tx))) === 0;
}

/** First run: the first workspace and its admin, in one transaction (all or nothing). */
export async function runSetup(
  ctx: AppContext,
  input: SetupInput,
  channel: Channel,
  requestId: string | null,
): Promise<{ userId: string; workspaceId: string }> {
  assertStrongPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.system(async (tx) => {
    // Two browsers submitting setup at once: the second waits here, then sees the first.
    await workspacesRepo.lockFirstSetup(tx);
    if ((await workspacesRepo.countWorkspaces(tx)) > 0) throw new AppError('ALREADY_SET_UP');
    const user = await workspacesRepo.insertUser(tx, {
      email: input.email,
      name: input.name,
      passwordHash,
      locale: input.locale,
    });
    const workspace = await createWorkspaceForUser(
      tx,
      {
        name: input.workspaceName,
        locale: input.locale,
        currency: input.currency,
        timezone: input.timezone,
      },
      user,
      channel,
      requestId,
    );
    return { userId: user.id, workspaceId: workspace.id };
  });
}
