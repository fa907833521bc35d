import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { FieldErrors } from '../records/normalize.js';
import * as repo from './stock.repository.js';
import { MAX_QUANTITY, type LevelView, type MovementView } from './stock.schemas.js';
import type { StockMovementKind } from './stock.table.js';

/**
 * Stock per warehouse (#20). THE way stock changes: every function below locks the level rows it
 * changes, checks, writes the new levels and one movement per line (with the levels after it)
 * and audits each movement, all in the caller's transaction, so a rolled-back order leaves stock
 * as it was. Nothing else writes stock_levels.
 *
 * ## The API for orders (and any document that moves stock)
 *
 * Each takes the caller's transaction and actor; the CALLER authorizes (an order's own
 * permissions: creating an order reserves, cancelling releases, delivering issues). `ref` names
 * the document: `{ object: 'orders', id: order.id }`. Quantities are numbers with at most 3
 * decimals (numeric(14,3)); a product named twice in `lines` counts once with the sum.
 *
 * - `reserve(tx, actor, { warehouseId, ref, lines: [{ productId, quantity }] })`: reserved +=
 *   quantity. Refused as a whole with `INSUFFICIENT_STOCK` (409) when a line asks for more than
 *   is available (on hand − reserved) and its product does not allow backorders; `details.lines`
 *   names each short product: `{ productId, name, sku, requested, available }`.
 * - `release(tx, actor, { warehouseId, ref, lines? })`: gives back reserved stock (an order
 *   cancelled or reduced). Without `lines`, everything `ref` still holds reserved in that
 *   warehouse; a line may not release more than `ref` holds (VALIDATION_FAILED,
 *   `lines.<i>.quantity`, reason `exceeds_reserved`).
 * - `issue(tx, actor, { warehouseId, ref, lines })`: goods delivered: on hand −= quantity and
 *   reserved −= quantity. Only what `ref` holds reserved may be issued (reserve first, in the same
 *   transaction for a sale without reservation: `exceeds_reserved` otherwise), and never more
 *   than is on hand (`INSUFFICIENT_STOCK`, `available` being the quantity on hand), even for a
 *   product that allows backorders: a backorder waits for its receipt.
 * - `receive(tx, actor, { warehouseId, lines, reason?, ref? })`: goods in: on hand += quantity.
 * - `adjust(tx, actor, { warehouseId, lines, reason, ref? })`: a count or a loss: on hand +=
 *   the signed quantity; `reason` required; on hand never below zero (`negative_stock`).
 *
 * Each returns the movements written, in the order of the (merged) lines. Bad input is a
 * VALIDATION_FAILED with field paths (`warehouseId`, `lines.<i>.productId`,
 * `lines.<i>.quantity`, `reason`, `ref`): an unknown, archived (for receive and reserve) or other
 * workspace's warehouse or product is `not_found`/`archived` there, never a 500.
 *
 * ## Concurrency
 *
 * The level rows are created if missing and locked (`SELECT … FOR UPDATE`) in product id order
 * before anything is read for the check (stock.repository.ts `lockLevels`): two orders reserving
 * the last units at the same moment queue, the second sees what the first left, and orders
 * sharing products cannot deadlock on them. A caller locking stock for several warehouses
 * should call in warehouse id order.
 */

export interface StockRef {
  /** The document's object key ('orders'). */
  object: string;
  id: string;
}
export interface StockLine {
  productId: string;
  /** Positive, at most 3 decimals; for adjust, the signed change. */
  quantity: number;
}
export interface StockMoveInput {
  warehouseId: string;
  lines: StockLine[];
  ref?: StockRef | undefined;
  reason?: string | null | undefined;
}
export interface StockMovementResult {
  id: string;
  kind: StockMovementKind;
  productId: string;
  warehouseId: string;
  quantity: number;
  onHandAfter: number;
  reservedAfter: number;
}

const OBJECT = 'stock';

export const messages = {
  warehouseNotFound: { vi: 'Không tìm thấy kho này.', en: 'No such warehouse.' },
  warehouseArchived: {
    vi: 'Kho này đã lưu trữ: không nhập hay giữ hàng vào kho này được nữa.',
    en: 'This warehouse is archived: it takes no receipts or reservations.',
  },
  productNotFound: { vi: 'Không tìm thấy sản phẩm này.', en: 'No such product.' },
  quantityInvalid: {
    vi: 'Số lượng phải lớn hơn 0, tối đa 3 chữ số thập phân.',
    en: 'The quantity must be above 0, with at most 3 decimals.',
  },
  adjustInvalid: {
    vi: 'Số lượng điều chỉnh phải khác 0, tối đa 3 chữ số thập phân.',
    en: 'The adjustment must not be 0 and may have at most 3 decimals.',
  },
  reasonRequired: {
    vi: 'Cần nhập lý do điều chỉnh.',
    en: 'A reason is required for an adjustment.',
  },
  reasonTooLong: { vi: 'Lý do tối đa 500 ký tự.', en: 'The reason is at most 500 characters.' },
  linesRequired: { vi: 'Cần ít nhất một dòng hàng.', en: 'At least one line is required.' },
  refRequired: {
    vi: 'Cần nêu chứng từ (đơn hàng) của thao tác này.',
    en: 'The document (order) this is for is required.',
  },
  refInvalid: { vi: 'Chứng từ không hợp lệ.', en: 'Invalid document reference.' },
  exceedsReserved: (held: string, unit: string): LocalisedText => ({
    vi: `Chứng từ này chỉ đang giữ ${held} ${unit} tại kho này.`,
    en: `This document holds only ${held} ${unit} reserved in this warehouse.`,
  }),
  negativeStock: (onHand: string, unit: string): LocalisedText => ({
    vi: `Tồn kho không thể âm: hiện có ${onHand} ${unit}.`,
    en: `Stock on hand cannot go below zero: ${onHand} ${unit} on hand.`,
  }),
  insufficient: {
    vi: 'Không đủ hàng trong kho cho một số sản phẩm.',
    en: 'Not enough stock for some products.',
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REF_OBJECT = /^[a-z][a-z0-9_]{0,39}$/;

// Quantities are handled as integer thousandths (numeric(14,3) fits a safe integer), so no
// float rounding ever reaches a check or the database.
const MAX_MILLI = MAX_QUANTITY * 1000 + 999;

/** A valid quantity in thousandths, or null (not finite, more than 3 decimals, too big). */
function toMilli(q: unknown): number | null {
  if (typeof q !== 'number' || !Number.isFinite(q)) return null;
  if (Number(q.toFixed(3)) !== q) return null;
  const m = Math.round(q * 1000);
  return Math.abs(m) > MAX_MILLI ? null : m;
}

/** numeric text ("12.500", "-3", "0") → thousandths. */
export function parseMilli(text: string): number {
  const neg = text.startsWith('-');
  const [int = '0', frac = ''] = (neg ? text.slice(1) : text).split('.');
  const m = Number(int) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
  return neg ? -m : m;
}

/** thousandths → numeric text with 3 decimals. */
export function milliText(m: number): string {
  const abs = Math.abs(m);
  const s = `${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
  return m < 0 ? `-${s}` : s;
}

/** thousandths → the number the API shows (12.5). */
const milliNumber = (m: number) => Number(milliText(m));

/** thousandths → a quantity in a message ("12.5"). */
const shown = (m: number) => String(milliNumber(m));

interface Merged {
  productId: string;
  milli: number;
  /** The first line index naming the product (field errors point there). */
  index: number;
}

/** Check the request's shape (for callers outside HTTP too) and merge repeated products. */
function checkInput(kind: StockMovementKind, input: StockMoveInput, errors: FieldErrors) {
  if (typeof input.warehouseId !== 'string' || !UUID.test(input.warehouseId)) {
    errors.add('warehouseId', messages.warehouseNotFound, 'not_found');
  }
  const needsRef = kind === 'reserve' || kind === 'release' || kind === 'issue';
  if (input.ref) {
    if (!REF_OBJECT.test(input.ref.object) || !UUID.test(input.ref.id)) {
      errors.add('ref', messages.refInvalid, 'invalid');
    }
  } else if (needsRef) {
    errors.add('ref', messages.refRequired, 'required');
  }
  let reason: string | null = input.reason?.normalize('NFC').trim() || null;
  if (reason && reason.length > 500) errors.add('reason', messages.reasonTooLong, 'too_big');
  if (kind === 'adjust' && !reason) errors.add('reason', messages.reasonRequired, 'required');
  if (!reason) reason = null;
  const lines = Array.isArray(input.lines) ? input.lines : [];
  if (lines.length === 0 && !(kind === 'release' && input.lines === undefined)) {
    errors.add('lines', messages.linesRequired, 'required');
  }
  const merged = new Map<string, Merged>();
  lines.forEach((line, i) => {
    const id = typeof line?.productId === 'string' ? line.productId.toLowerCase() : '';
    if (!UUID.test(id)) errors.add(`lines.${i}.productId`, messages.productNotFound, 'not_found');
    const m = toMilli(line?.quantity);
    const ok = m !== null && (kind === 'adjust' ? m !== 0 : m > 0);
    if (!ok) {
      errors.add(
        `lines.${i}.quantity`,
        kind === 'adjust' ? messages.adjustInvalid : messages.quantityInvalid,
        'invalid',
      );
      return;
    }
    const seen = merged.get(id);
    if (seen) seen.milli += m;
    else merged.set(id, { productId: id, milli: m, index: i });
  });
  return { reason, lines: [...merged.values()] };
}

async function move(
  tx: Tx,
  actor: Actor,
  kind: StockMovementKind,
  input: StockMoveInput,
): Promise<StockMovementResult[]> {
  const errors = new FieldErrors();
  const { reason, lines: asked } = checkInput(kind, input, errors);
  errors.throwIfAny();
  const warehouseId = input.warehouseId.toLowerCase();
  const ref = input.ref ? { object: input.ref.object, id: input.ref.id.toLowerCase() } : null;

  const warehouse = await repo.getWarehouse(tx, warehouseId);
  if (!warehouse) errors.add('warehouseId', messages.warehouseNotFound, 'not_found');
  else if (warehouse.archived && (kind === 'receipt' || kind === 'reserve')) {
    errors.add('warehouseId', messages.warehouseArchived, 'archived');
  }
  errors.throwIfAny();

  // Release without lines: whatever the document still holds here.
  const held = ref && kind !== 'reserve' ? await repo.outstandingFor(tx, warehouseId, ref) : null;
  let lines = asked;
  if (kind === 'release' && input.lines === undefined) {
    lines = [...(held ?? new Map<string, string>())]
      .map(([productId, q], index) => ({ productId, milli: parseMilli(q), index }))
      .filter((l) => l.milli > 0);
    if (lines.length === 0) return [];
  }

  const products = new Map(
    (
      await repo.productsByIds(
        tx,
        lines.map((l) => l.productId),
      )
    ).map((p) => [p.id, p]),
  );
  for (const l of lines) {
    if (!products.has(l.productId)) {
      errors.add(`lines.${l.index}.productId`, messages.productNotFound, 'not_found');
    }
  }
  errors.throwIfAny();

  // Lock in product id order (see the header), then check against what the locks show.
  const sorted = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1));
  const locked = new Map(
    (
      await repo.lockLevels(
        tx,
        actor.workspaceId,
        warehouseId,
        sorted.map((l) => l.productId),
      )
    ).map((r) => [r.productId, r]),
  );
  // What `ref` holds, read again under the locks (another transaction of the same document
  // may have moved it while we waited).
  const holds =
    ref && (kind === 'release' || kind === 'issue')
      ? await repo.outstandingFor(tx, warehouseId, ref)
      : null;

  const short: {
    productId: string;
    name: string;
    sku: string;
    requested: number;
    available: number;
  }[] = [];
  const out: (repo.NewMovement & { milli: number; index: number })[] = [];
  for (const l of lines) {
    const p = products.get(l.productId)!;
    const level = locked.get(l.productId);
    if (!level) throw new Error(`stock level of ${l.productId} not locked`);
    let onHand = parseMilli(level.onHand);
    let reserved = parseMilli(level.reserved);
    const q = l.milli;
    const heldHere = holds ? parseMilli(holds.get(l.productId) ?? '0') : 0;
    switch (kind) {
      case 'receipt':
        onHand += q;
        break;
      case 'reserve':
        if (q > onHand - reserved && !p.allowBackorder) {
          short.push({
            productId: p.id,
            name: p.name,
            sku: p.sku,
            requested: milliNumber(q),
            available: milliNumber(onHand - reserved),
          });
        }
        reserved += q;
        break;
      case 'release':
        if (q > heldHere) {
          errors.add(
            `lines.${l.index}.quantity`,
            messages.exceedsReserved(shown(heldHere), p.unit),
            'exceeds_reserved',
          );
        }
        reserved -= q;
        break;
      case 'issue':
        if (q > heldHere) {
          errors.add(
            `lines.${l.index}.quantity`,
            messages.exceedsReserved(shown(heldHere), p.unit),
            'exceeds_reserved',
          );
        } else if (q > onHand) {
          short.push({
            productId: p.id,
            name: p.name,
            sku: p.sku,
            requested: milliNumber(q),
            available: milliNumber(onHand),
          });
        }
        onHand -= q;
        reserved -= q;
        break;
      case 'adjust':
        if (onHand + q < 0) {
          errors.add(
            `lines.${l.index}.quantity`,
            messages.negativeStock(shown(onHand), p.unit),
            'negative_stock',
          );
        }
        onHand += q;
        break;
    }
    if (onHand > MAX_MILLI || reserved > MAX_MILLI) {
      errors.add(`lines.${l.index}.quantity`, messages.quantityInvalid, 'too_big');
    }
    out.push({
      productId: l.productId,
      quantity: milliText(q),
      onHand: milliText(onHand),
      reserved: milliText(reserved),
      milli: q,
      index: l.index,
    });
  }
  errors.throwIfAny();
  if (short.length > 0) {
    throw new AppError('INSUFFICIENT_STOCK', {
      text: messages.insufficient,
      details: { warehouseId, lines: short },
    });
  }

  const ids = await repo.writeMovements(tx, {
    workspaceId: actor.workspaceId,
    warehouseId,
    kind,
    reason,
    ref,
    userId: actor.userId,
    actorName: actor.name,
    lines: out.map(({ productId, quantity, onHand, reserved }) => ({
      productId,
      quantity,
      onHand,
      reserved,
    })),
  });
  const results: StockMovementResult[] = [];
  for (const line of out) {
    const id = ids.get(line.productId)!;
    const p = products.get(line.productId)!;
    const before = locked.get(line.productId)!;
    await recordAudit(tx, actor, {
      action: `stock_${kind}`,
      objectType: 'stock_movement',
      objectId: id,
      changes: {
        product: { from: null, to: `${p.name} (${p.sku})` },
        warehouse: { from: null, to: warehouse!.name },
        quantity: { from: null, to: milliNumber(line.milli) },
        onHand: { from: milliNumber(parseMilli(before.onHand)), to: Number(line.onHand) },
        reserved: { from: milliNumber(parseMilli(before.reserved)), to: Number(line.reserved) },
        ...(reason ? { reason: { from: null, to: reason } } : {}),
        ...(ref ? { reference: { from: null, to: `${ref.object}/${ref.id}` } } : {}),
      },
    });
    results.push({
      id,
      kind,
      productId: line.productId,
      warehouseId,
      quantity: milliNumber(line.milli),
      onHandAfter: Number(line.onHand),
      reservedAfter: Number(line.reserved),
    });
  }
  return results;
}

/** Reserve stock for a document (an order). See the header for the contract. */
export const reserve = (
  tx: Tx,
  actor: Actor,
  input: { warehouseId: string; ref: StockRef; lines: StockLine[] },
) => move(tx, actor, 'reserve', input);

/** Give back what a document holds reserved (all of it when `lines` is left out). */
export const release = (
  tx: Tx,
  actor: Actor,
  input: { warehouseId: string; ref: StockRef; lines?: StockLine[] },
) => move(tx, actor, 'release', input as StockMoveInput);

/** Goods delivered for a document: on hand and its reservation go down. */
export const issue = (
  tx: Tx,
  actor: Actor,
  input: { warehouseId: string; ref: StockRef; lines: StockLine[] },
) => move(tx, actor, 'issue', input);

/** Goods received into a warehouse. */
export const receive = (
  tx: Tx,
  actor: Actor,
  input: { warehouseId: string; lines: StockLine[]; reason?: string | null; ref?: StockRef },
) => move(tx, actor, 'receipt', input);

/** A correction of on hand (signed quantities) with its reason. */
export const adjust = (
  tx: Tx,
  actor: Actor,
  input: { warehouseId: string; lines: StockLine[]; reason: string; ref?: StockRef },
) => move(tx, actor, 'adjust', input);

/** The default warehouse (orders that name none use it). */
export const defaultWarehouseId = (tx: Tx) => repo.defaultWarehouseId(tx);

// ---- HTTP-facing services (permission checks, their own transaction) ----

function presentMovement(r: repo.MovementRow): MovementView {
  return {
    id: r.id,
    kind: r.kind,
    product: { id: r.productId, name: r.productName, sku: r.sku, unit: r.unit },
    warehouse: { id: r.warehouseId, name: r.warehouseName },
    quantity: Number(r.quantity),
    onHandAfter: Number(r.onHandAfter),
    reservedAfter: Number(r.reservedAfter),
    reason: r.reason,
    ref: r.refObject && r.refId ? { object: r.refObject, id: r.refId } : null,
    user: r.userName !== null ? { id: r.userId, name: r.userName } : null,
    createdAt: r.createdAt,
  };
}

async function presentWritten(tx: Tx, written: StockMovementResult[]): Promise<MovementView[]> {
  if (written.length === 0) return [];
  const rows = await repo.listMovements(tx, {
    ids: written.map((w) => w.id),
    limit: written.length,
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return written.map((w) => presentMovement(byId.get(w.id)!));
}

/** POST /stock/receipts (stock: create). */
export async function postReceipt(
  ctx: AppContext,
  actor: Actor,
  body: { warehouseId: string; lines: StockLine[]; reason?: string | undefined },
): Promise<MovementView[]> {
  authorize(actor, OBJECT, 'create');
  return ctx.db.tenant(actor, async (tx) => presentWritten(tx, await receive(tx, actor, body)));
}

/** POST /stock/adjustments (stock: update). */
export async function postAdjustment(
  ctx: AppContext,
  actor: Actor,
  body: { warehouseId: string; lines: StockLine[]; reason: string },
): Promise<MovementView[]> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => presentWritten(tx, await adjust(tx, actor, body)));
}

interface LevelsCursor {
  s: string;
  p: string;
  w: string;
}

function decodeCursor(cursor: string | undefined): LevelsCursor | undefined {
  if (!cursor) return undefined;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as LevelsCursor;
    if (typeof c.s === 'string' && UUID.test(c.p) && UUID.test(c.w)) return c;
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', {
    details: {
      fields: [{ path: 'cursor', message: 'Invalid cursor', reason: 'invalid', in: 'querystring' }],
    },
  });
}

/** GET /stock/levels (stock: read). */
export async function listLevels(
  ctx: AppContext,
  actor: Actor,
  query: {
    warehouseId?: string | undefined;
    q?: string | undefined;
    belowReorderLevel?: 'true' | 'false' | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
): Promise<{ items: LevelView[]; nextCursor: string | null }> {
  authorize(actor, OBJECT, 'read');
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor);
  const q = query.q ? foldForSearch(query.q.normalize('NFC')).trim() : '';
  const rows = await ctx.db.read(actor, (tx) =>
    repo.listLevels(tx, {
      warehouseId: query.warehouseId,
      q: q || undefined,
      below: query.belowReorderLevel === 'true',
      limit: limit + 1,
      after: after && { sortName: after.s, productId: after.p, warehouseId: after.w },
    }),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      product: { id: r.productId, name: r.productName, sku: r.sku, unit: r.unit },
      warehouse: { id: r.warehouseId, name: r.warehouseName },
      onHand: Number(r.onHand),
      reserved: Number(r.reserved),
      available: Number(r.available),
      reorderLevel: r.reorderLevel === null ? null : Number(r.reorderLevel),
      belowReorderLevel: r.below,
      allowBackorder: r.allowBackorder,
    })),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(
            JSON.stringify({ s: last.sortName, p: last.productId, w: last.warehouseId }),
          ).toString('base64url')
        : null,
  };
}

/** GET /stock/movements (stock: read). */
export async function listMovements(
  ctx: AppContext,
  actor: Actor,
  query: {
    warehouseId?: string | undefined;
    productId?: string | undefined;
    kind?: StockMovementKind | undefined;
    refObject?: string | undefined;
    refId?: string | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
): Promise<{ items: MovementView[]; nextCursor: string | null }> {
  authorize(actor, OBJECT, 'read');
  const limit = query.limit ?? 50;
  const rows = await ctx.db.read(actor, (tx) =>
    repo.listMovements(tx, { ...query, before: query.cursor, limit: limit + 1 }),
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map(presentMovement),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
