import type { Locale } from './errors.js';
import type { Actor } from './permissions.js';
import type { Tx } from '../db/database.js';

/**
 * What a module puts into every new workspace (the deals module: the default pipeline), run in
 * the transaction that creates it, as its first admin. Modules register through their
 * SenModule's `onWorkspaceCreated` (src/modules/index.ts); workspaces that existed before a
 * module came get the same from that module's migration.
 */
export type WorkspaceSetup = (tx: Tx, actor: Actor, locale: Locale) => Promise<void>;

const setups: WorkspaceSetup[] = [];

export function registerWorkspaceSetup(setup: WorkspaceSetup): void {
  if (!setups.includes(setup)) setups.push(setup);
}

export async function runWorkspaceSetups(tx: Tx, actor: Actor, locale: Locale): Promise<void> {
  for (const setup of setups) await setup(tx, actor, locale);
}
