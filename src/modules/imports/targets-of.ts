import type { CustomFieldRow } from '../../db/schema/index.js';
import type { RecordObjectDefinition } from '../records/define.js';
import { customTargets, fieldTargets, type ImportTarget } from './targets.js';

/** Keys of a zod object schema's shape (the write body's fields). */
function bodyKeys(schema: unknown): Set<string> {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return new Set(shape ? Object.keys(shape) : []);
}

/**
 * Every target of an object for this workspace: the object's declared targets first (they
 * win over a generic one with the same key), then its writable fields, then its custom fields.
 * Declared header hints join the generic targets' own.
 */
export function importTargets(
  def: RecordObjectDefinition,
  custom: CustomFieldRow[],
): ImportTarget[] {
  const declared = def.import?.targets ?? [];
  const taken = new Set(declared.map((t) => t.key));
  const generic = fieldTargets(def.fields, bodyKeys(def.schemas.create)).filter(
    (t) => !taken.has(t.key),
  );
  const hints = def.import?.hints ?? {};
  return [
    ...declared,
    ...generic.map((t) =>
      hints[t.key] ? { ...t, hints: [...(t.hints ?? []), ...hints[t.key]!] } : t,
    ),
    ...customTargets(custom),
  ];
}
