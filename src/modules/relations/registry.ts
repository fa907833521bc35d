import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Relation } from './define.js';

/**
 * The declared relations, registered with the record object that offers them
 * (registerRecordObjectDefinition: its `relations`). The records routes mount each object's
 * relations after its own routes; relationsOf() is the list a record merge walks to move a
 * record's links to the record it is merged into.
 */
const relations = new Map<string, Relation>();

export function registerRelation(relation: Relation): void {
  const known = relations.get(relation.key);
  if (known === relation) return;
  if (known) throw new Error(`relation ${relation.key} is declared twice`);
  relations.set(relation.key, relation);
}

export function allRelations(): Relation[] {
  return [...relations.values()];
}

/** The relations an object offers (it is their `from` side), in declaration order. */
export function relationsFrom(objectKey: string): Relation[] {
  return allRelations().filter((r) => r.from.object === objectKey);
}

/** One object's end of a relation: where its records' ids are in the link table. */
export interface RelationEnd {
  relation: Relation;
  side: 'from' | 'to';
  /** The link table. */
  table: PgTable;
  workspaceColumn: AnyPgColumn;
  /** The link table's column holding this object's record ids. */
  column: AnyPgColumn;
  /** The link table's column holding the other object's record ids. */
  otherColumn: AnyPgColumn;
  otherObject: string;
  /** The primary flag (one per `from` record), if the relation has one. */
  primaryColumn: AnyPgColumn | null;
}

/**
 * Every relation that touches `objectKey`, from either side (both ends of a relation of an
 * object with itself): the link tables and columns whose rows name its records.
 */
export function relationsOf(objectKey: string): RelationEnd[] {
  return allRelations().flatMap((relation) => {
    const { workspace, from, to } = relation.columns;
    const end = (side: 'from' | 'to'): RelationEnd => ({
      relation,
      side,
      table: relation.table,
      workspaceColumn: workspace.column,
      column: side === 'from' ? from.column : to.column,
      otherColumn: side === 'from' ? to.column : from.column,
      otherObject: side === 'from' ? relation.to.object : relation.from.object,
      primaryColumn: relation.primary?.column ?? null,
    });
    return [
      ...(relation.from.object === objectKey ? [end('from')] : []),
      ...(relation.to.object === objectKey ? [end('to')] : []),
    ];
  });
}
