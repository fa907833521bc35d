import { boolean, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contactCompanies, companies } from '../src/db/schema/index.js';
import { contactCompaniesRelation } from '../src/modules/contacts/contacts.relations.js';
import { contactResponse } from '../src/modules/contacts/contacts.schemas.js';
import { companiesObject } from '../src/modules/companies/companies.object.js';
import { registerRecordObjectDefinition } from '../src/modules/records/define.js';
import { defineRelation, type RelationDefinition } from '../src/modules/relations/define.js';
import { registerRelation } from '../src/modules/relations/registry.js';
import { relationSchemas } from '../src/modules/relations/relations.routes.js';

/** A link table for the checks: a pair with a unique constraint, not a primary key. */
const links = pgTable(
  'unit_links',
  {
    workspaceId: uuid('workspace_id').notNull(),
    a: uuid('a_id').notNull(),
    b: uuid('b_id').notNull(),
    c: uuid('c_id').notNull(),
    role: text('role'),
    main: boolean('main').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.a, t.c] }), unique('unit_links_ab').on(t.b, t.a)],
);

const valid: RelationDefinition = {
  key: 'unit_links',
  table: links,
  workspaceColumn: links.workspaceId,
  from: { object: 'contacts', column: links.a, segment: 'partners' },
  to: {
    object: 'companies',
    column: links.b,
    segment: 'partnerContacts',
    idField: 'partnerId',
    notFound: { vi: 'Không tìm thấy.', en: 'Not found.' },
  },
  attributes: {
    role: { column: links.role, input: z.string().nullable(), output: z.string().nullable() },
  },
  primary: { field: 'isMain', column: links.main },
};

const fails = (patch: Partial<RelationDefinition>, message: RegExp) =>
  expect(() => defineRelation({ ...valid, ...patch })).toThrow(message);

describe('defineRelation', () => {
  it('resolves the declared columns to the link table’s properties', () => {
    const rel = defineRelation(valid);
    expect(rel.tableName).toBe('unit_links');
    expect(rel.columns.from.property).toBe('a');
    expect(rel.columns.to.property).toBe('b');
    expect(rel.columns.workspace.property).toBe('workspaceId');
    expect(rel.attributes.map((a) => [a.key, a.property])).toEqual([['role', 'role']]);
    expect(rel.primary).toMatchObject({ field: 'isMain', property: 'main' });

    expect(contactCompaniesRelation.columns.from.column).toBe(contactCompanies.contactId);
    expect(contactCompaniesRelation.primary?.column).toBe(contactCompanies.isPrimary);
  });

  it('refuses columns of another table, an id pair that is not unique and a bad flag', () => {
    fails(
      { from: { ...valid.from, column: companies.id } },
      /from.column is not a column of unit_links/,
    );
    fails({ workspaceColumn: contactCompanies.workspaceId }, /workspaceColumn is not a column/);
    fails({ to: { ...valid.to, column: links.a } }, /the same column/);
    // (a, c) is the primary key and (b, a) unique: (c, b) is neither.
    fails(
      { from: { ...valid.from, column: links.c } },
      /\(c_id, b_id\) must be the primary key or a unique constraint/,
    );
    expect(() => defineRelation({ ...valid, to: { ...valid.to, column: links.c } })).not.toThrow();
    fails({ primary: { field: 'isMain', column: links.role } }, /must be a boolean column/);
    fails(
      {
        attributes: {
          role: { column: links.b, input: z.string(), output: z.string() },
        },
      },
      /attribute role uses an id column/,
    );
  });

  it('refuses names that would collide in URLs or bodies', () => {
    fails({ from: { ...valid.from, segment: 'partners/x' } }, /from.segment "partners\/x"/);
    fails({ to: { ...valid.to, segment: '' } }, /to.segment ""/);
    fails({ to: { ...valid.to, idField: 'id' } }, /to.idField "id"/);
    fails(
      {
        attributes: {
          partnerId: { column: links.role, input: z.string(), output: z.string() },
        },
      },
      /attribute "partnerId" is not a free camelCase name/,
    );
    fails({ primary: { field: 'role', column: links.main } }, /primary "role" is not a free name/);
    fails(
      { to: { ...valid.to, object: 'contacts', segment: 'partners' } },
      /itself needs two different segments/,
    );
    fails({ key: 'Unit Links' }, /key must be snake_case/);
  });
});

describe('the relation registry and schemas', () => {
  it('refuses a second relation under a taken key and one offered by the wrong object', () => {
    registerRelation(contactCompaniesRelation);
    expect(() => registerRelation(contactCompaniesRelation)).not.toThrow();
    expect(() => registerRelation(defineRelation({ ...valid, key: 'contact_companies' }))).toThrow(
      /declared twice/,
    );
    expect(() =>
      registerRecordObjectDefinition({
        ...companiesObject,
        key: 'unit_things',
        relations: [defineRelation({ ...valid, key: 'unit_other' })],
      }),
    ).toThrow(/unit_things offers relation unit_other, whose from side is not unit_things/);
  });

  it('builds the bodies of today’s contact ↔ company routes from the declaration', () => {
    const s = relationSchemas(contactCompaniesRelation, contactResponse);
    expect(Object.keys(s.body.shape)).toEqual(['companyId', 'jobTitle', 'isPrimary']);
    expect(Object.keys(s.link.shape)).toEqual(['companyId', 'name', 'jobTitle', 'isPrimary']);
    expect(Object.keys(s.related.shape)).toEqual([
      ...Object.keys(contactResponse.shape),
      'jobTitle',
      'isPrimary',
    ]);
    const id = '01900000-0000-7000-8000-000000000000';
    expect(s.body.safeParse({ companyId: id }).success).toBe(true);
    expect(s.body.safeParse({ companyId: id, jobTitle: 'x'.repeat(201) }).success).toBe(false);
    expect(s.body.safeParse({ companyId: id, other: 1 }).success).toBe(false);
    expect(() => relationSchemas(contactCompaniesRelation, z.string())).toThrow(/not a zod object/);
  });
});
