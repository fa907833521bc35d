import { recordAudit } from '../../core/audit.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { iso } from '../../http/schemas.js';
import { recordObjectDefinition, recordObjectDefinitions } from '../records/define.js';
import { filterText } from '../records/filter-text.js';
import { compileFilter, type FilterNode } from '../records/filters.js';
import { FieldResolver } from '../records/list.js';
import { FieldErrors } from '../records/normalize.js';
import * as repo from './assignment.repository.js';
import type {
  AssignmentView,
  RuleCreateInput,
  RulePatchInput,
  RuleView,
} from './assignment.schemas.js';
import type { AssignmentRuleRow } from './assignment.table.js';

/**
 * Settings → Phân công tự động: the ordered rules and the fallback owner of each object that
 * declares `assignment` (records/define.ts). Admins only (permission object `assignment_rules`,
 * settings-objects.ts). The engine that applies them is assign.ts.
 */
const PERMISSION = 'assignment_rules';
const AUDIT_RULE = 'assignment_rule';
const AUDIT_SETTINGS = 'assignment_settings';

const messages = {
  userRequired: { vi: 'Hãy chọn người được giao.', en: 'Choose the user.' },
  teamRequired: { vi: 'Hãy chọn nhóm.', en: 'Choose the team.' },
  notMember: {
    vi: 'Người này không phải thành viên của không gian làm việc.',
    en: 'Not a member of this workspace.',
  },
  inactive: {
    vi: 'Người này đã bị vô hiệu hoá: hãy chọn người đang hoạt động.',
    en: 'This user is deactivated: choose an active one.',
  },
  noTeam: { vi: 'Không có nhóm này.', en: 'There is no such team.' },
  notEveryRule: {
    vi: 'Danh sách phải gồm đúng mọi quy tắc của đối tượng, mỗi quy tắc một lần.',
    en: 'List every rule of the object exactly once.',
  },
} satisfies Record<string, LocalisedText>;

function assignable(objectKey: string) {
  const def = recordObjectDefinition(objectKey);
  if (!def?.assignment) throw new AppError('NOT_FOUND');
  return def;
}

export function listObjects(ctx: AppContext, actor: Actor) {
  authorize(actor, PERMISSION, 'read');
  const defs = recordObjectDefinitions().filter((d) => d.assignment);
  return ctx.db.read(actor, async (tx) => {
    const items = [];
    for (const d of defs) {
      items.push({
        object: d.key,
        label: d.label.many,
        rules: (await repo.listRules(tx, d.key)).length,
      });
    }
    return { items };
  });
}

async function view(tx: Tx, objectKey: string): Promise<AssignmentView> {
  const def = assignable(objectKey);
  const rules = await repo.listRules(tx, objectKey);
  const fallback = await repo.getFallback(tx, objectKey);
  const userIds = [
    ...rules.flatMap((r) => (r.userId ? [r.userId] : [])),
    ...(fallback ? [fallback] : []),
  ];
  const teamIds = rules.flatMap((r) => (r.teamId ? [r.teamId] : []));
  // Conditions in words ("Nguồn: Facebook"), with the workspace's custom fields and option lists.
  const resolver = new FieldResolver(objectKey);
  await resolver.prepare(
    tx,
    rules.flatMap((r) => (r.condition ? conditionKeys(r.condition) : [])),
  );
  const [names, statuses, teams, members] = await Promise.all([
    repo.userNames(tx, userIds),
    repo.memberStatuses(tx, userIds),
    repo.teamNames(tx, teamIds),
    repo.activeTeamMembers(tx, teamIds),
  ]);
  return {
    object: objectKey,
    label: def.label.many,
    fallbackUserId: fallback,
    fallbackUserName: fallback ? (names.get(fallback) ?? null) : null,
    rules: rules.map((r): RuleView => ({
      id: r.id,
      position: r.position,
      name: r.name,
      condition: r.condition ?? null,
      conditionText: r.condition ? filterText(r.condition, (k) => resolver.resolve(k)) : null,
      targetType: r.targetType,
      userId: r.userId,
      userName: r.userId ? (names.get(r.userId) ?? null) : null,
      teamId: r.teamId,
      teamName: r.teamId ? (teams.get(r.teamId) ?? null) : null,
      method: r.method,
      active: r.active,
      problem:
        r.targetType === 'user'
          ? statuses.get(r.userId ?? '') === 'active'
            ? null
            : 'user_inactive'
          : !teams.has(r.teamId ?? '')
            ? 'team_missing'
            : (members.get(r.teamId ?? '')?.length ?? 0) === 0
              ? 'team_empty'
              : null,
      updatedAt: iso(r.updatedAt),
    })),
  };
}

export function getAssignment(ctx: AppContext, actor: Actor, objectKey: string) {
  authorize(actor, PERMISSION, 'read');
  assignable(objectKey);
  return ctx.db.tenant(actor, (tx) => view(tx, objectKey));
}

async function checkUser(tx: Tx, path: string, userId: string, errors: FieldErrors): Promise<void> {
  const status = (await repo.memberStatuses(tx, [userId])).get(userId);
  if (status === undefined) errors.add(path, messages.notMember, 'not_a_member');
  else if (status !== 'active') errors.add(path, messages.inactive, 'inactive');
}

/** The rule's values after `input` over `before`, checked: every problem a field error. */
async function ruleValues(
  tx: Tx,
  objectKey: string,
  before: AssignmentRuleRow | null,
  input: RulePatchInput,
): Promise<repo.RuleValues> {
  const errors = new FieldErrors();
  const targetType = input.targetType ?? before?.targetType ?? 'user';
  const condition =
    input.condition === undefined ? (before?.condition ?? null) : (input.condition ?? null);
  const values: repo.RuleValues = {
    name: input.name ?? before?.name ?? '',
    condition,
    targetType,
    userId: null,
    teamId: null,
    method: null,
    active: input.active ?? before?.active ?? true,
  };
  if (targetType === 'user') {
    const userId = input.userId === undefined ? (before?.userId ?? null) : input.userId;
    if (!userId) errors.add('userId', messages.userRequired, 'required');
    // Re-check the user only when it changes: a rule whose user was deactivated since can still
    // be renamed or switched off (its records meanwhile go to the fallback owner).
    else if (userId !== before?.userId) await checkUser(tx, 'userId', userId, errors);
    values.userId = userId;
  } else {
    const teamId = input.teamId === undefined ? (before?.teamId ?? null) : input.teamId;
    if (!teamId) errors.add('teamId', messages.teamRequired, 'required');
    else if (teamId !== before?.teamId && !(await repo.teamExists(tx, teamId))) {
      errors.add('teamId', messages.noTeam, 'not_found');
    }
    values.teamId = teamId;
    values.method = input.method ?? before?.method ?? 'round_robin';
  }
  if (condition) await checkCondition(tx, objectKey, condition, errors);
  errors.throwIfAny();
  return values;
}

/** The condition compiles against the object's fields (unknown field, operator, value: 400). */
async function checkCondition(
  tx: Tx,
  objectKey: string,
  condition: FilterNode,
  errors: FieldErrors,
): Promise<void> {
  const resolver = new FieldResolver(objectKey);
  await resolver.prepare(tx, conditionKeys(condition));
  try {
    compileFilter(condition, { resolve: (key) => resolver.resolve(key) });
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && err.details?.fields) {
      for (const f of err.details.fields) {
        errors.list.push({ ...f, path: f.path.replace(/^filter/, 'condition') });
      }
      return;
    }
    throw err;
  }
}

/** The field keys a condition names. */
function conditionKeys(node: FilterNode, out: string[] = []): string[] {
  if ('field' in node) out.push(node.field);
  else for (const c of 'and' in node ? node.and : node.or) conditionKeys(c, out);
  return out;
}

const auditView = (r: repo.RuleValues) => ({
  name: r.name,
  condition: r.condition,
  targetType: r.targetType,
  userId: r.userId,
  teamId: r.teamId,
  method: r.method,
  active: r.active,
});

export function createRule(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  input: RuleCreateInput,
) {
  authorize(actor, PERMISSION, 'update');
  assignable(objectKey);
  return ctx.db.tenant(actor, async (tx) => {
    const values = await ruleValues(tx, objectKey, null, input);
    const row = await repo.insertRule(tx, actor.workspaceId, objectKey, values);
    await recordAudit(tx, actor, {
      action: 'create',
      objectType: AUDIT_RULE,
      objectId: row.id,
      changes: diffOf(null, { object: objectKey, ...auditView(values) }),
    });
    const out = await view(tx, objectKey);
    return out.rules.find((r) => r.id === row.id)!;
  });
}

export function updateRule(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  id: string,
  input: RulePatchInput,
) {
  authorize(actor, PERMISSION, 'update');
  assignable(objectKey);
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getRule(tx, objectKey, id);
    if (!before) throw new AppError('NOT_FOUND');
    const values = await ruleValues(tx, objectKey, before, input);
    await repo.updateRule(tx, id, values);
    const changes = diffOf(auditView(before), auditView(values));
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, actor, {
        action: 'update',
        objectType: AUDIT_RULE,
        objectId: id,
        changes,
      });
    }
    const out = await view(tx, objectKey);
    return out.rules.find((r) => r.id === id)!;
  });
}

export function deleteRule(ctx: AppContext, actor: Actor, objectKey: string, id: string) {
  authorize(actor, PERMISSION, 'update');
  assignable(objectKey);
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getRule(tx, objectKey, id);
    if (!before) throw new AppError('NOT_FOUND');
    await repo.deleteRule(tx, id);
    await recordAudit(tx, actor, {
      action: 'delete',
      objectType: AUDIT_RULE,
      objectId: id,
      changes: diffOf({ object: objectKey, ...auditView(before) }, null),
    });
  });
}

export function reorderRules(ctx: AppContext, actor: Actor, objectKey: string, ids: string[]) {
  authorize(actor, PERMISSION, 'update');
  assignable(objectKey);
  return ctx.db.tenant(actor, async (tx) => {
    const rules = await repo.listRules(tx, objectKey);
    const given = new Set(ids);
    if (
      given.size !== ids.length ||
      given.size !== rules.length ||
      rules.some((r) => !given.has(r.id))
    ) {
      const errors = new FieldErrors();
      errors.add('ids', messages.notEveryRule, 'not_every_rule');
      errors.throwIfAny();
    }
    await repo.reorderRules(tx, objectKey, ids);
    await recordAudit(tx, actor, {
      action: 'reorder',
      objectType: AUDIT_SETTINGS,
      objectId: objectKey,
      changes: {
        order: {
          from: rules.map((r) => r.name),
          to: ids.map((i) => rules.find((r) => r.id === i)!.name),
        },
      },
    });
    return view(tx, objectKey);
  });
}

export function setFallback(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  fallbackUserId: string | null,
) {
  authorize(actor, PERMISSION, 'update');
  assignable(objectKey);
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getFallback(tx, objectKey);
    if (fallbackUserId && fallbackUserId !== before) {
      const errors = new FieldErrors();
      await checkUser(tx, 'fallbackUserId', fallbackUserId, errors);
      errors.throwIfAny();
    }
    await repo.setFallback(tx, actor.workspaceId, objectKey, fallbackUserId);
    if (before !== fallbackUserId) {
      await recordAudit(tx, actor, {
        action: 'update',
        objectType: AUDIT_SETTINGS,
        objectId: objectKey,
        changes: { fallbackUserId: { from: before, to: fallbackUserId } },
      });
    }
    return view(tx, objectKey);
  });
}

function diffOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const from = before?.[key] ?? null;
    const to = after?.[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}
