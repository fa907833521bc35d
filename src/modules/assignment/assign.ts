import type { SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { notifyMany, type Notification } from '../notifications/notify.js';
import { recordObjectDefinition } from '../records/define.js';
import { compileFilter, type FilterNode } from '../records/filters.js';
import { FieldResolver } from '../records/list.js';
import { getRecordObject } from '../records/registry.js';
import type { FallbackReason } from './assignment.notifications.js';
import { recordAssigned } from './assignment.notifications.js';
import * as repo from './assignment.repository.js';
import type { ActiveRule } from './assignment.repository.js';

/**
 * The assignment engine (issue #19): which owner the rules give new records of an object.
 *
 * Rules are tried in order; the first ACTIVE rule whose condition matches a record takes it
 * (set-based: one query per rule over the records still unplaced). A user target takes them if
 * still active; a team target hands them out among its active members, round robin (the rule's
 * pointer, read and moved under the rule row's lock) or to whoever owns the fewest open records
 * (the object's `assignment.open`; ties in round-robin order), counting those just handed out.
 * Records no rule matches go to the object's fallback owner. A rule whose user is deactivated,
 * or whose team has no active member or was deleted, sends its records to the fallback owner,
 * and every active admin is told (`assignment_fallback`). Without a usable fallback a record
 * keeps the owner its write gave it. Each changed owner is audited (`assign`, with the rule)
 * and its new owner notified (`record_assigned`).
 */

export interface AssignedRecord {
  id: string;
  ownerId: string;
  /** The rule that chose the owner; null = the fallback owner. */
  ruleId: string | null;
}

interface Placement {
  rule: ActiveRule | null;
  ids: string[];
}

function filterKeys(node: FilterNode, out: string[] = []): string[] {
  if ('field' in node) out.push(node.field);
  else for (const c of 'and' in node ? node.and : node.or) filterKeys(c, out);
  return out;
}

/** A rule's condition as SQL on alias `r`; null = every record; undefined = no longer valid. */
export function ruleCondition(
  resolver: FieldResolver,
  condition: FilterNode | null,
): SQL | null | undefined {
  if (!condition) return null;
  try {
    return compileFilter(condition, { resolve: (key) => resolver.resolve(key) }) ?? null;
  } catch {
    // A field the condition names was removed since: the rule matches nothing.
    return undefined;
  }
}

/** The round robin's order: members after the pointer first, then from the start. */
function rotation(members: string[], last: string | null): string[] {
  if (!last) return members;
  const after = members.findIndex((m) => m > last);
  return after <= 0 ? members : [...members.slice(after), ...members.slice(0, after)];
}

/**
 * Assign the records `ids` of `objectKey` by the workspace's rules, in the caller's transaction.
 * Returns each record whose owner changed. Objects without an `assignment` declaration, or
 * workspaces without rules and fallback, change nothing.
 */
export async function assignByRules(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  ids: string[],
  resolver: FieldResolver = new FieldResolver(objectKey),
): Promise<AssignedRecord[]> {
  const def = recordObjectDefinition(objectKey);
  const object = getRecordObject(objectKey);
  if (!def?.assignment || !object || ids.length === 0) return [];
  // The rules, their targets and the fallback owner: one statement.
  const plan = await repo.assignmentPlan(tx, objectKey);
  const rules = plan.rules;
  const fallback = plan.fallbackUserId;
  if (rules.length === 0 && fallback === null) return [];

  // 1. Which rule takes which record: the first active rule that matches it.
  await resolver.prepare(
    tx,
    rules.flatMap((r) => (r.condition ? filterKeys(r.condition) : [])),
  );
  let rest = [...new Set(ids)];
  const placements: Placement[] = [];
  for (const rule of rules) {
    if (rest.length === 0) break;
    const condition = ruleCondition(resolver, rule.condition);
    if (condition === undefined) continue;
    const hit =
      condition === null ? new Set(rest) : await repo.matching(tx, object.table, rest, condition);
    if (hit.size === 0) continue;
    placements.push({ rule, ids: rest.filter((id) => hit.has(id)) });
    rest = rest.filter((id) => !hit.has(id));
  }
  if (rest.length > 0) placements.push({ rule: null, ids: rest });

  // 2. Who is still there to take them (read with the rules).
  const fallbackOwner = fallback !== null && plan.fallbackStatus === 'active' ? fallback : null;

  // 3. The owners, rule by rule. A round robin's turns are taken last (the rule's row stays
  //    locked from its pointer's move to the commit): its records wait in `turns` meanwhile.
  const owners: AssignedRecord[] = [];
  const turns: { rule: ActiveRule; members: string[]; ids: string[] }[] = [];
  const problems: { rule: ActiveRule; reason: FallbackReason; ids: string[] }[] = [];
  const toFallback = (ids: string[]) => {
    if (fallbackOwner)
      for (const id of ids) owners.push({ id, ownerId: fallbackOwner, ruleId: null });
  };
  for (const { rule, ids: placed } of placements) {
    if (!rule) {
      toFallback(placed);
    } else if (rule.targetType === 'user') {
      if (rule.userStatus === 'active') {
        for (const id of placed) owners.push({ id, ownerId: rule.userId!, ruleId: rule.id });
      } else {
        problems.push({ rule, reason: 'user_inactive', ids: placed });
        toFallback(placed);
      }
    } else {
      const members = rule.members ?? [];
      if (members.length === 0) {
        const reason = rule.teamExists ? 'team_empty' : 'team_missing';
        problems.push({ rule, reason, ids: placed });
        toFallback(placed);
      } else if (rule.method === 'fewest_open') {
        // The counts must not change under the choice: the rule's row is locked first.
        const { lastUserId } = await repo.lockRule(tx, rule.id);
        const order = rotation(members, lastUserId);
        let last = lastUserId;
        const counts = await repo.openCounts(tx, object.table, def.assignment.open, members);
        // Counts include the records being placed (already written): start from their owners'
        // counts without them, so a batch's own records do not skew the choice.
        const current = await repo.currentOwners(tx, object.table, placed);
        const placedOpen = await repo.matching(tx, object.table, placed, def.assignment.open);
        for (const id of placed) {
          const owner = current.get(id);
          if (owner && placedOpen.has(id) && counts.has(owner))
            counts.set(owner, counts.get(owner)! - 1);
        }
        for (const id of placed) {
          let best = order[0]!;
          for (const m of order) if (counts.get(m)! < counts.get(best)!) best = m;
          if (placedOpen.has(id)) counts.set(best, counts.get(best)! + 1);
          owners.push({ id, ownerId: best, ruleId: rule.id });
          last = best;
          // The next tie goes to the member after this one.
          order.push(...order.splice(0, order.indexOf(best) + 1));
        }
        if (last && last !== lastUserId) await repo.movePointer(tx, rule.id, last);
      } else {
        turns.push({ rule, members, ids: placed });
      }
    }
  }
  for (const { rule, members, ids: placed } of turns) {
    // One statement moves the pointer past the records' turns and says who took the last one;
    // the records before it took the members before, in order.
    const last = members.indexOf(await repo.takeTurns(tx, rule.id, members, placed.length));
    placed.forEach((id, i) => {
      const at =
        (((last - (placed.length - 1 - i)) % members.length) + members.length) % members.length;
      owners.push({ id, ownerId: members[at]!, ruleId: rule.id });
    });
  }

  // 4. Write the changed owners with their audit and the new owners' notifications (one
  //    statement: a round robin's rule row stays locked from its turns to the commit), then,
  //    for problems, tell the admins.
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const written = await repo.writeOwners(
    tx,
    object.table,
    object.columns.name.name,
    {
      workspaceId: actor.workspaceId,
      actorType: actor.type,
      actorId: actor.type === 'api_key' ? actor.apiKeyId : actor.userId,
      actorName: actor.name,
      userId: actor.userId,
      channel: actor.channel,
      objectType: objectKey,
      requestId: actor.requestId,
    },
    owners.map((o) => ({
      id: o.id,
      ownerId: o.ownerId,
      ruleName: o.ruleId ? (ruleName.get(o.ruleId) ?? o.ruleId) : null,
    })),
    {
      kind: recordAssigned.key,
      // Someone who assigns a record to themselves on the web does not need telling.
      skipUserId: actor.channel === 'web' ? actor.userId : null,
    },
  );
  const changedIds = new Set(written.map((w) => w.id));
  const changed = owners.filter((o) => changedIds.has(o.id));
  const notes: Notification[] = [];
  if (problems.length > 0) {
    const admins = await repo.activeAdmins(tx);
    const fallbackName = fallbackOwner
      ? ((await repo.userNames(tx, [fallbackOwner])).get(fallbackOwner) ?? null)
      : null;
    for (const p of problems) {
      notes.push({
        userIds: admins,
        kind: 'assignment_fallback',
        params: {
          ruleName: p.rule.name,
          ruleId: p.rule.id,
          reason: p.reason,
          count: p.ids.length,
          fallbackName,
        },
        record: { object: objectKey, id: p.ids[0]! },
      });
    }
  }
  // The admins were read as active members.
  if (notes.length > 0) await notifyMany(tx, actor, notes, { recipientsActive: true });
  return changed;
}

/**
 * What an object's writer calls in its afterWrite: assign the records just CREATED without an
 * owner in their body (an API key's, a public form's or an import's without an owner column, or
 * the web form left on "Tự động phân công"). A body that names an owner keeps it; updates never
 * re-assign.
 */
export async function assignNewRecords(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  writes: readonly {
    id: string;
    input: { ownerId?: string | null | undefined };
    before: unknown;
  }[],
  resolver?: FieldResolver,
): Promise<AssignedRecord[]> {
  const ids = writes
    .filter((w) => w.before === null && w.input.ownerId === undefined)
    .map((w) => w.id);
  return assignByRules(tx, actor, objectKey, ids, resolver);
}
