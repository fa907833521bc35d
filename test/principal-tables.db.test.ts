/**
 * A cached principal is trusted as long as its workspace's auth_version has not moved
 * (auth/principal-cache.ts, migration 0012). That holds only if EVERY table the principal
 * functions read bumps auth_version, by trigger, in the transaction of each change. A new column
 * or join in those functions, or a new table behind them, must come with a trigger; this test
 * finds the tables from the database catalogue (the functions' bodies, followed through the
 * functions they call and the views they read), not from a list kept by hand, and names every
 * table that has no bump trigger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createTestDatabase, type TestDatabase } from './support/harness.js';

/** The functions that build or confirm a principal (migrations 0003 and 0012). */
const PRINCIPAL_FUNCTIONS = [
  'sen_session_principal',
  'sen_api_key_principal',
  'sen_session_resume',
  'sen_api_key_resume',
];

/**
 * Tables that may be read without a bump trigger, and why. Anything here must stay true when the
 * functions change.
 */
const EXEMPT: Record<string, string> = {
  workspaces:
    'holds the stamp: the functions read its id and auth_version, which sen_app cannot update ' +
    '(checked below) and only the bump functions write',
};

/** A function that bumps auth_version, as a trigger. */
const BUMPS = /update\s+workspaces\s+set\s+auth_version\s*=\s*auth_version\s*\+/i;

// pg_trigger.tgtype bits (PostgreSQL's catalog/pg_trigger.h).
const TRIGGER_ROW = 1;
const TRIGGER_BEFORE = 2;
const TRIGGER_UPDATE = 16;
const TRIGGER_INSTEAD = 64;

interface Fn {
  name: string;
  language: string;
  source: string;
  isTrigger: boolean;
}

/** A function body without its comments (string literals stay: dynamic SQL is in them). */
const withoutComments = (source: string) =>
  source.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');

/** Every identifier of a body, as PostgreSQL folds it. */
function identifiers(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of withoutComments(source).matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    found.add(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!.toLowerCase());
  }
  return found;
}

async function rows<T>(db: Database, text: string): Promise<T[]> {
  return (await db.executeSql(text)).rows as T[];
}

interface PrincipalTables {
  /** The tables the principal functions read, directly, through functions or through views. */
  tables: string[];
  /** Of those, the ones with no enabled row-level trigger on UPDATE that bumps auth_version. */
  uncovered: string[];
  /** The functions followed from the roots. */
  functions: string[];
}

/** Read the catalogue: which tables the principal functions read, and which of them bump. */
async function principalTables(
  db: Database,
  roots: string[] = PRINCIPAL_FUNCTIONS,
): Promise<PrincipalTables> {
  const fns = await rows<Fn>(
    db,
    `SELECT p.proname AS name, l.lanname AS language, p.prosrc AS source,
            p.prorettype = 'trigger'::regtype AS "isTrigger"
       FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       JOIN pg_language l ON l.oid = p.prolang
      WHERE n.nspname = 'public'`,
  );
  const relations = await rows<{ name: string; kind: string }>(
    db,
    `SELECT c.relname AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
  );
  // What each view reads (its rewrite rule's dependencies).
  const viewDeps = await rows<{ view: string; name: string }>(
    db,
    `SELECT DISTINCT v.relname AS view, t.relname AS name
       FROM pg_rewrite r
       JOIN pg_class v ON v.oid = r.ev_class
       JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                       AND d.refclassid = 'pg_class'::regclass
       JOIN pg_class t ON t.oid = d.refobjid
      WHERE v.relkind IN ('v', 'm') AND t.oid <> v.oid`,
  );
  const covered = await rows<{ name: string; fn: string; type: number; enabled: string }>(
    db,
    `SELECT c.relname AS name, p.proname AS fn, t.tgtype::int AS type, t.tgenabled::text AS enabled
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
  );

  const byName = new Map<string, Fn[]>();
  for (const fn of fns) byName.set(fn.name, [...(byName.get(fn.name) ?? []), fn]);
  const kindOf = new Map(relations.map((r) => [r.name, r.kind]));

  for (const root of roots) {
    if (!byName.has(root)) throw new Error(`Principal function ${root} is not in pg_proc`);
  }

  // Follow the roots through every function their bodies name.
  const seen = new Set<string>();
  const read = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const fn of byName.get(name) ?? []) {
      // Built-in and extensions' C code reads none of our tables.
      if (fn.language === 'c' || fn.language === 'internal') continue;
      if (fn.language !== 'plpgsql' && fn.language !== 'sql') {
        throw new Error(`${name} is written in ${fn.language}: its body cannot be read here`);
      }
      const body = withoutComments(fn.source);
      if (fn.language === 'plpgsql' && /\bexecute\b/i.test(body)) {
        throw new Error(`${name} runs dynamic SQL (EXECUTE): the tables it reads cannot be found`);
      }
      for (const id of identifiers(body)) {
        if (byName.has(id) && !byName.get(id)!.every((f) => f.isTrigger)) queue.push(id);
        if (kindOf.has(id)) read.add(id);
      }
    }
  }
  // Views read their tables.
  const tables = new Set<string>();
  const expand = (name: string, depth = 0): void => {
    const kind = kindOf.get(name);
    if (kind === 'v' || kind === 'm') {
      if (depth > 16) throw new Error(`View ${name} nests too deep`);
      for (const d of viewDeps) if (d.view === name) expand(d.name, depth + 1);
    } else {
      tables.add(name);
    }
  };
  for (const name of read) expand(name);

  const bumpers = new Set(
    fns.filter((f) => f.isTrigger && BUMPS.test(f.source)).map((f) => f.name),
  );
  if (bumpers.size === 0) throw new Error('No trigger function bumps workspaces.auth_version');
  const bumped = new Set(
    covered
      .filter(
        (t) =>
          bumpers.has(t.fn) &&
          t.enabled !== 'D' &&
          (t.type & TRIGGER_ROW) !== 0 &&
          (t.type & (TRIGGER_BEFORE | TRIGGER_INSTEAD)) === 0 &&
          (t.type & TRIGGER_UPDATE) !== 0,
      )
      .map((t) => t.name),
  );
  const sorted = [...tables].sort();
  return {
    tables: sorted,
    uncovered: sorted.filter((t) => !bumped.has(t) && !(t in EXEMPT)),
    functions: [...seen].sort(),
  };
}

function expectAllCovered(result: PrincipalTables): void {
  expect(
    result.uncovered,
    `Tables read by the principal functions (${result.functions.join(', ')}) without a trigger ` +
      `that bumps workspaces.auth_version: ${result.uncovered.join(', ')}. A cached principal ` +
      `would survive a change to them: add an AFTER … FOR EACH ROW trigger calling ` +
      `sen_bump_auth_version() (see migration 0012)`,
  ).toEqual([]);
}

describe('the tables a principal is made of', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('every table the principal functions read bumps auth_version when it changes', async () => {
    const result = await principalTables(t.db);
    // A floor for the parser, not the list checked: these are read today.
    expect(result.functions).toContain('sen_principal');
    expect(result.tables).toEqual(
      expect.arrayContaining([
        'api_keys',
        'roles',
        'sessions',
        'team_members',
        'users',
        'workspace_members',
        'workspaces',
      ]),
    );
    expectAllCovered(result);
  });

  it('the stamp itself cannot be moved by the app', async () => {
    const [row] = await rows<{ id: boolean; version: boolean }>(
      t.db,
      `SELECT has_column_privilege('sen_app', 'workspaces', 'id', 'UPDATE') AS id,
              has_column_privilege('sen_app', 'workspaces', 'auth_version', 'UPDATE') AS version`,
    );
    expect(row).toEqual({ id: false, version: false });
  });

  it('reports a table whose trigger is gone', async () => {
    const [trigger] = await rows<{ name: string; def: string }>(
      t.db,
      `SELECT t.tgname AS name, pg_get_triggerdef(t.oid) AS def
         FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE t.tgrelid = 'public.team_members'::regclass AND p.proname = 'sen_bump_auth_version'`,
    );
    expect(trigger).toBeDefined();
    // team_members is read only by sen_principal, which the roots call: the walk must get there.
    await t.db.executeSql(`DROP TRIGGER ${trigger!.name} ON team_members`);
    try {
      const result = await principalTables(t.db);
      expect(result.uncovered).toEqual(['team_members']);
      expect(() => expectAllCovered(result)).toThrow(/auth_version: team_members\./);
    } finally {
      await t.db.executeSql(trigger!.def);
    }
    expect((await principalTables(t.db)).uncovered).toEqual([]);
  });

  it('finds a new table behind a principal function, through a view, until it has a trigger', async () => {
    await t.db.executeSql(`
      CREATE TABLE probe_grants (workspace_id uuid NOT NULL, user_id uuid NOT NULL);
      CREATE VIEW probe_grants_view AS SELECT workspace_id, user_id FROM probe_grants;
      CREATE FUNCTION sen_probe_part(p_user_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM "probe_grants_view" g WHERE g.user_id = p_user_id) $$;
      CREATE FUNCTION sen_probe_principal(p_user_id uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
      BEGIN
        -- reads users directly, probe_grants through sen_probe_part and a view
        RETURN jsonb_build_object('ok', sen_probe_part(p_user_id)) ||
               (SELECT to_jsonb(u.name) FROM users u WHERE u.id = p_user_id);
      END $$;`);
    try {
      const roots = [...PRINCIPAL_FUNCTIONS, 'sen_probe_principal'];
      const before = await principalTables(t.db, roots);
      expect(before.functions).toContain('sen_probe_part');
      expect(before.tables).toContain('probe_grants');
      expect(before.tables).not.toContain('probe_grants_view');
      expect(before.uncovered).toEqual(['probe_grants']);

      // A trigger on INSERT only does not count: an UPDATE would go unnoticed.
      await t.db.executeSql(
        `CREATE TRIGGER probe_insert AFTER INSERT ON probe_grants
           FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version()`,
      );
      expect((await principalTables(t.db, roots)).uncovered).toEqual(['probe_grants']);

      await t.db.executeSql(
        `CREATE TRIGGER probe_auth_version AFTER INSERT OR DELETE OR UPDATE ON probe_grants
           FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version()`,
      );
      expect((await principalTables(t.db, roots)).uncovered).toEqual([]);
    } finally {
      await t.db.executeSql(`
        DROP FUNCTION sen_probe_principal(uuid);
        DROP FUNCTION sen_probe_part(uuid);
        DROP VIEW probe_grants_view;
        DROP TABLE probe_grants;`);
    }
  });
});
