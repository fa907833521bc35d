import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type AnyPgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { LocalisedText } from '../../core/errors.js';

/**
 * A relation is a many-to-many link between two record objects through a link table (a
 * contact works at companies; later a deal's contacts with a role, a quote's deal, a ticket's
 * contacts…). It is declared once (`defineRelation`) and offered by its `from` object's
 * declaration (`relations: [...]` in defineRecordObject); the generic service and routes of
 * this module serve it:
 *
 *   GET    /<from>/:id/<from.segment>             the links of a `from` record (to records the
 *                                                 caller may see, with the link's attributes)
 *   POST   /<from>/:id/<from.segment>             link, or change a link's attributes
 *   DELETE /<from>/:id/<from.segment>/:<idField>  unlink
 *   GET    /<to>/:id/<to.segment>                 the related panel: the `from` records linked
 *                                                 to a `to` record, paged like lists
 *
 * The `from` side is the side whose record counts as changed by a link: it gets the audit
 * entry (its `from.segment` before → after) and its updated_at/updated_by. Reading links needs
 * read on the `from` record; linking needs update on it and read on the `to` record; unlinking
 * needs update on the `from` record.
 */
export interface RelationDefinition {
  /** A unique name (the link table's name). */
  key: string;
  /** The link table: its workspace column, the two id columns and the attribute columns. */
  table: PgTable;
  /** The link table's workspace column. */
  workspaceColumn: AnyPgColumn;
  from: {
    /** The record object that offers the relation (its declaration lists it). */
    object: string;
    /** The link table's column holding the `from` record's id. */
    column: AnyPgColumn;
    /** URL segment of the links under a `from` record, and the audit entry's key. */
    segment: string;
  };
  to: {
    object: string;
    /** The link table's column holding the `to` record's id. */
    column: AnyPgColumn;
    /** URL segment of the related panel under a `to` record. */
    segment: string;
    /** The `to` record's id in bodies, links and the unlink path (`companyId`). */
    idField: string;
    /** The field error when the `to` record does not exist or is in the trash. */
    notFound: LocalisedText;
  };
  /** The link's own values (a job title, a role), by their API key. */
  attributes?: Record<string, LinkAttribute>;
  /**
   * A flag column: at most one link of a `from` record is its primary one. The first link is
   * primary; marking another one moves the flag; unlinking the primary one passes it to the
   * next `to` record by name.
   */
  primary?: { field: string; column: AnyPgColumn };
}

/** One value a link carries (scalars: text, numbers, booleans). */
export interface LinkAttribute {
  column: AnyPgColumn;
  /** The body's value; optional in the body: a link keeps its value when it is not sent. */
  input: z.ZodType;
  /** The value in responses. */
  output: z.ZodType;
  /** The stored value of a body's value (its `input` output), e.g. cleanText: '' → null. */
  normalize?: (value: never) => unknown;
  /** A new link's value when the body has none (null when not given). */
  initial?: unknown;
}

export interface RelationAttribute extends LinkAttribute {
  key: string;
  /** The column's property name in the link table's Drizzle schema. */
  property: string;
}

/** A checked declaration, as the service, the routes and the registry use it. */
export interface Relation {
  key: string;
  table: PgTable;
  tableName: string;
  columns: {
    workspace: { column: AnyPgColumn; property: string };
    from: { column: AnyPgColumn; property: string };
    to: { column: AnyPgColumn; property: string };
  };
  from: RelationDefinition['from'];
  to: RelationDefinition['to'];
  attributes: RelationAttribute[];
  primary: { field: string; column: AnyPgColumn; property: string } | null;
}

const SEGMENT = /^[a-z][a-zA-Z0-9]*$/;
const FIELD = /^[a-z][a-zA-Z0-9]*$/;

/**
 * Check a relation's declaration (where it is written: a wrong one fails at import, naming the
 * relation) and resolve its columns. The objects themselves are checked when the routes are
 * mounted (an object may be registered after the one that declares the relation).
 */
export function defineRelation(def: RelationDefinition): Relation {
  const fail = (what: string): never => {
    throw new Error(`relation ${def.key}: ${what}`);
  };
  if (!/^[a-z][a-z0-9_]*$/.test(def.key)) fail('key must be snake_case');
  const { name: tableName, primaryKeys, uniqueConstraints } = getTableConfig(def.table);
  const properties = new Map(
    Object.entries(getTableColumns(def.table)).map(([property, column]) => [column, property]),
  );
  const own = (column: AnyPgColumn, what: string) => {
    const property = properties.get(column);
    if (property === undefined) return fail(`${what} is not a column of ${tableName}`);
    return { column, property };
  };
  const workspace = own(def.workspaceColumn, 'workspaceColumn');
  const from = own(def.from.column, 'from.column');
  const to = own(def.to.column, 'to.column');
  if (from.column === to.column) fail('from.column and to.column are the same column');

  // One link per pair: the upsert's conflict target.
  const pair = [from.column.name, to.column.name].sort().join();
  const keys = [...primaryKeys, ...uniqueConstraints].map((k) =>
    k.columns
      .map((c) => c.name)
      .sort()
      .join(),
  );
  if (!keys.includes(pair)) {
    fail(`(${from.column.name}, ${to.column.name}) must be the primary key or a unique constraint`);
  }

  for (const [side, segment] of [
    ['from', def.from.segment],
    ['to', def.to.segment],
  ] as const) {
    if (!SEGMENT.test(segment)) fail(`${side}.segment "${segment}" must be camelCase letters`);
  }
  if (def.from.object === def.to.object && def.from.segment === def.to.segment) {
    fail('a relation of an object with itself needs two different segments');
  }

  const taken = new Set(['id', 'name', def.to.idField]);
  if (!FIELD.test(def.to.idField) || def.to.idField === 'id' || def.to.idField === 'name') {
    fail(`to.idField "${def.to.idField}" must be a camelCase name other than id and name`);
  }
  const attributes = Object.entries(def.attributes ?? {}).map(([key, attribute]) => {
    if (!FIELD.test(key) || taken.has(key)) fail(`attribute "${key}" is not a free camelCase name`);
    taken.add(key);
    const { property } = own(attribute.column, `attribute ${key}`);
    if (attribute.column === from.column || attribute.column === to.column) {
      fail(`attribute ${key} uses an id column`);
    }
    return { ...attribute, key, property };
  });

  let primary: Relation['primary'] = null;
  if (def.primary) {
    const { field, column } = def.primary;
    if (!FIELD.test(field) || taken.has(field)) fail(`primary "${field}" is not a free name`);
    const { property } = own(column, 'primary.column');
    if (column.dataType !== 'boolean') fail('primary.column must be a boolean column');
    if (attributes.some((a) => a.column === column)) fail('primary.column is also an attribute');
    primary = { field, column, property };
  }

  return {
    key: def.key,
    table: def.table,
    tableName,
    columns: { workspace, from, to },
    from: def.from,
    to: def.to,
    attributes,
    primary,
  };
}
