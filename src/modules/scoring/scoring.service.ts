import { auditChange } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { sql } from 'drizzle-orm';
import type { FilterNode } from '../records/filters.js';
import { FieldResolver } from '../records/list.js';
import { FieldErrors } from '../records/normalize.js';
import { getRecordObject } from '../records/registry.js';
import { compileCondition, conditionKeys, rescore } from './scoring.compute.js';
import { rescoreJob } from './scoring.jobs.js';
import { scoredObject, scoreEventType, scoreEventTypes } from './scoring.registry.js';
import * as repo from './scoring.repository.js';
import type {
  RuleCreateInput,
  RulePatchInput,
  RuleResponse,
  SettingsInput,
} from './scoring.schemas.js';
import type { ScoringRuleRow } from './scoring.table.js';

/** The permission object of the scoring settings (settings-objects style, not scoped). */
export const SCORING = 'scoring';

/**
 * A workspace with at most this many records of the object is rescored in the request that
 * changed its rules (one statement: about 1 s for 5,000 leads on a small machine); a larger
 * one by a job (scoring.rescore), so the admin's save answers at once.
 */
export const RESCORE_IN_REQUEST = 5000;

const msg = {
  conditionRequired: {
    vi: 'Quy tắc theo trường cần có điều kiện.',
    en: 'A field rule needs a condition.',
  },
  conditionEmpty: {
    vi: 'Điều kiện cần ít nhất một phép so sánh.',
    en: 'The condition needs at least one comparison.',
  },
  notForEvent: {
    vi: 'Quy tắc theo sự kiện không có điều kiện theo trường.',
    en: 'An event rule has no field condition.',
  },
  eventRequired: { vi: 'Cần chọn sự kiện.', en: 'Choose an event.' },
  unknownEvent: { vi: 'Không có sự kiện này.', en: 'There is no such event.' },
  notForField: {
    vi: 'Quy tắc theo trường không có sự kiện.',
    en: 'A field rule has no event.',
  },
  derivedField: {
    vi: 'Không chấm điểm theo chính điểm hay hạng.',
    en: 'A rule cannot depend on the score or the grade itself.',
  },
  gradesOrder: {
    vi: 'Ngưỡng phải giảm dần: hạng A > hạng B > hạng C.',
    en: 'Thresholds must decrease: grade A > grade B > grade C.',
  },
} satisfies Record<string, LocalisedText>;

function objectOf(object: string) {
  const scored = scoredObject(object);
  const table = getRecordObject(object)?.table;
  if (!scored || !table) throw new AppError('NOT_FOUND');
  return { scored, table };
}

export function presentRule(r: ScoringRuleRow): RuleResponse {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    condition: (r.condition as Record<string, unknown> | null) ?? null,
    eventKey: r.eventKey,
    points: r.points,
    position: r.position,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function view(tx: Tx, object: string) {
  const [rules, settings] = [await repo.listRules(tx, object), await repo.settingsOf(tx, object)];
  return {
    object,
    settings,
    rules: rules.map(presentRule),
    events: scoreEventTypes(object).map((e) => ({ key: e.key, label: e.label })),
  };
}

export async function getScoring(ctx: AppContext, actor: Actor, object: string) {
  authorize(actor, SCORING, 'read');
  objectOf(object);
  return ctx.db.read(actor, (tx) => view(tx, object));
}

// --- labels -----------------------------------------------------------------------------------

const opWords: Record<string, LocalisedText> = {
  is_not: { vi: 'khác', en: 'is not' },
  not_in: { vi: 'không thuộc', en: 'is not one of' },
  contains: { vi: 'chứa', en: 'contains' },
  not_contains: { vi: 'không chứa', en: 'does not contain' },
  is_empty: { vi: 'trống', en: 'is empty' },
  is_not_empty: { vi: 'có giá trị', en: 'is not empty' },
  gt: { vi: '>', en: '>' },
  gte: { vi: '≥', en: '≥' },
  lt: { vi: '<', en: '<' },
  lte: { vi: '≤', en: '≤' },
  between: { vi: 'trong khoảng', en: 'between' },
  before: { vi: 'trước', en: 'before' },
  after: { vi: 'sau', en: 'after' },
};

/** "Nguồn: Giới thiệu", "Tỉnh/Thành phố: Hà Nội", "Điểm > 10 và Nguồn: Zalo". */
function describe(node: FilterNode, resolver: FieldResolver, lang: 'vi' | 'en'): string {
  if (!('field' in node)) {
    const list = 'and' in node ? node.and : node.or;
    const word =
      'and' in node ? (lang === 'vi' ? ' và ' : ' and ') : lang === 'vi' ? ' hoặc ' : ' or ';
    const parts = list.map((c) => {
      const d = describe(c, resolver, lang);
      return 'field' in c || list.length === 1 ? d : `(${d})`;
    });
    return parts.join(word);
  }
  const field = resolver.resolve(node.field);
  const name = field?.label[lang] ?? node.field;
  const values = (Array.isArray(node.value) ? node.value : [node.value])
    .filter((v) => v !== undefined && v !== null)
    .map((v) => {
      const option = field?.options?.find((o) => o.key === v);
      return option ? option.label[lang] : String(v);
    });
  const shown = node.op === 'between' ? values.join(' – ') : values.join(', ');
  if (node.op === 'is' || node.op === 'in') return `${name}: ${shown}`;
  const op = opWords[node.op]?.[lang] ?? node.op;
  return node.op === 'is_empty' || node.op === 'is_not_empty'
    ? `${name} ${op}`
    : `${name} ${op} ${shown}`;
}

function labelOf(
  input: { vi: string; en?: string | undefined } | null | undefined,
  fallback: () => LocalisedText,
): LocalisedText {
  const vi = input?.vi.normalize('NFC').trim();
  if (!vi) return fallback();
  return { vi: vi.slice(0, 200), en: input?.en?.normalize('NFC').trim().slice(0, 200) || vi };
}

// --- validation -------------------------------------------------------------------------------

/** A field rule's condition: compiles as a list filter would, names no derived field. */
async function checkCondition(
  tx: Tx,
  object: string,
  condition: FilterNode,
  resolver: FieldResolver,
  errors: FieldErrors,
): Promise<void> {
  const keys = conditionKeys(condition);
  if (keys.length === 0) {
    errors.add('condition', msg.conditionEmpty, 'empty');
    return;
  }
  const derived = new Set(objectOf(object).scored.derivedFields);
  if (keys.some((k) => derived.has(k))) {
    errors.add('condition', msg.derivedField, 'derived_field');
    return;
  }
  try {
    await compileCondition(tx, object, condition, resolver);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
    // compileFilter names paths under "filter": here they are under "condition".
    const fields = (err.details?.fields ?? []) as {
      path: string;
      text: LocalisedText;
      reason?: string;
    }[];
    for (const f of fields) {
      errors.add(f.path.replace(/^filter/, 'condition'), f.text, f.reason);
    }
  }
}

async function ruleValues(
  tx: Tx,
  object: string,
  kind: 'field' | 'event',
  input: {
    condition?: FilterNode | undefined;
    eventKey?: string | undefined;
    label?: RuleCreateInput['label'];
  },
  before: ScoringRuleRow | null,
) {
  const errors = new FieldErrors();
  const resolver = new FieldResolver(object);
  let label: LocalisedText | undefined;
  if (kind === 'field') {
    if (input.eventKey !== undefined) errors.add('eventKey', msg.notForField, 'not_allowed');
    const condition = input.condition ?? before?.condition ?? null;
    if (!condition) errors.add('condition', msg.conditionRequired, 'required');
    else {
      await checkCondition(tx, object, condition, resolver, errors);
      if (errors.empty) {
        label = labelOf(input.label === undefined ? before?.label : input.label, () => ({
          vi: describe(condition, resolver, 'vi').slice(0, 200),
          en: describe(condition, resolver, 'en').slice(0, 200),
        }));
      }
    }
    errors.throwIfAny();
    return { condition, eventKey: null, label: label! };
  }
  if (input.condition !== undefined) errors.add('condition', msg.notForEvent, 'not_allowed');
  const eventKey = input.eventKey ?? before?.eventKey ?? null;
  const event = eventKey ? scoreEventType(object, eventKey) : undefined;
  if (!eventKey) errors.add('eventKey', msg.eventRequired, 'required');
  else if (!event) errors.add('eventKey', msg.unknownEvent, 'unknown_event');
  errors.throwIfAny();
  const keepLabel = input.eventKey === undefined || input.eventKey === before?.eventKey;
  label = labelOf(
    input.label === undefined ? (keepLabel ? before?.label : null) : input.label,
    () => event!.label,
  );
  return { condition: null, eventKey, label };
}

// --- rescoring --------------------------------------------------------------------------------

/**
 * Rescore every record of the object after a change of the rules or settings: in this
 * transaction when the workspace is small (or no job queue runs here), else by a job sent once
 * the change is committed (`queued`).
 */
async function rescoreAfterChange(
  ctx: AppContext,
  tx: Tx,
  object: string,
): Promise<{ mode: 'done' | 'queued'; records: number }> {
  const { table } = objectOf(object);
  const [row] = await queryRows<{ n: number | string }>(
    tx,
    sql`SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`,
  );
  const records = Number(row?.n ?? 0);
  if (records > RESCORE_IN_REQUEST && ctx.jobs) return { mode: 'queued', records };
  await rescore(tx, object, { all: true });
  return { mode: 'done', records };
}

async function afterCommit(
  ctx: AppContext,
  actor: Actor,
  object: string,
  rescored: { mode: 'done' | 'queued' },
): Promise<void> {
  if (rescored.mode === 'queued') {
    await ctx.jobs?.send(rescoreJob, { workspaceId: actor.workspaceId, object });
  }
}

// --- writes -----------------------------------------------------------------------------------

const auditRule = (r: ScoringRuleRow | null) =>
  r && {
    object: r.object,
    kind: r.kind,
    label: r.label,
    condition: r.condition,
    eventKey: r.eventKey,
    points: r.points,
    position: r.position,
    active: r.active,
  };

export async function createRule(
  ctx: AppContext,
  actor: Actor,
  object: string,
  input: RuleCreateInput,
) {
  authorize(actor, SCORING, 'update');
  objectOf(object);
  const out = await ctx.db.tenant(actor, async (tx) => {
    const values = await ruleValues(tx, object, input.kind, input, null);
    const row = await repo.insertRule(tx, {
      workspaceId: actor.workspaceId,
      object,
      kind: input.kind,
      ...values,
      points: input.points,
      active: input.active ?? true,
      createdBy: actor.userId,
      updatedBy: actor.userId,
    });
    await auditChange(tx, actor, 'scoring_rules', row.id, null, auditRule(row));
    return { ...presentRule(row), rescore: await rescoreAfterChange(ctx, tx, object) };
  });
  await afterCommit(ctx, actor, object, out.rescore);
  return out;
}

export async function updateRule(
  ctx: AppContext,
  actor: Actor,
  object: string,
  id: string,
  input: RulePatchInput,
) {
  authorize(actor, SCORING, 'update');
  objectOf(object);
  const out = await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getRule(tx, object, id);
    if (!before) throw new AppError('NOT_FOUND');
    const values = await ruleValues(tx, object, before.kind, input, before);
    let row = await repo.updateRule(tx, id, {
      ...values,
      points: input.points ?? before.points,
      active: input.active ?? before.active,
      updatedBy: actor.userId,
    });
    if (input.position !== undefined) row = await moveRule(tx, object, row, input.position);
    await auditChange(tx, actor, 'scoring_rules', id, auditRule(before), auditRule(row));
    return { ...presentRule(row), rescore: await rescoreAfterChange(ctx, tx, object) };
  });
  await afterCommit(ctx, actor, object, out.rescore);
  return out;
}

/** Put a rule at `position` in the object's list; the others keep their order around it. */
async function moveRule(
  tx: Tx,
  object: string,
  rule: ScoringRuleRow,
  position: number,
): Promise<ScoringRuleRow> {
  const rules = (await repo.listRules(tx, object)).filter((r) => r.id !== rule.id);
  rules.splice(Math.min(position, rules.length), 0, rule);
  let moved = rule;
  for (const [i, r] of rules.entries()) {
    if (r.position === i && r.id !== rule.id) continue;
    const updated = await repo.updateRule(tx, r.id, { position: i });
    if (r.id === rule.id) moved = updated;
  }
  return moved;
}

export async function deleteRule(ctx: AppContext, actor: Actor, object: string, id: string) {
  authorize(actor, SCORING, 'update');
  objectOf(object);
  const rescored = await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getRule(tx, object, id);
    if (!before) throw new AppError('NOT_FOUND');
    await repo.deleteRule(tx, id);
    await auditChange(tx, actor, 'scoring_rules', id, auditRule(before), null);
    return rescoreAfterChange(ctx, tx, object);
  });
  await afterCommit(ctx, actor, object, rescored);
}

export async function saveSettings(
  ctx: AppContext,
  actor: Actor,
  object: string,
  input: SettingsInput,
) {
  authorize(actor, SCORING, 'update');
  objectOf(object);
  const errors = new FieldErrors();
  if (!(input.gradeA > input.gradeB)) errors.add('gradeB', msg.gradesOrder, 'order');
  if (!(input.gradeB > input.gradeC)) errors.add('gradeC', msg.gradesOrder, 'order');
  errors.throwIfAny();
  const out = await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.settingsOf(tx, object);
    await repo.saveSettings(tx, actor.workspaceId, object, input);
    await auditChange(
      tx,
      actor,
      'scoring_settings',
      actor.workspaceId,
      { object, ...before },
      {
        object,
        ...input,
      },
    );
    const rescored = await rescoreAfterChange(ctx, tx, object);
    return { ...(await view(tx, object)), rescore: rescored };
  });
  await afterCommit(ctx, actor, object, out.rescore);
  return out;
}
