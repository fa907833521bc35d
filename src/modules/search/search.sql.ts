/**
 * The matching SQL shared by every provider whose table has the record search keys
 * (`search_name`, `search_text`, `deleted_at`, `workspace_id`, `owner_id`; see
 * docs/customer-records.md "Search keys"). A later object with the same columns reuses it.
 *
 * Design (goal: p95 ≤ 30 ms on 1,000,000 contacts). A text query runs up to five candidate
 * stages in ONE statement, each a MATERIALIZED CTE; a stage runs only when the ones before it
 * found fewer than `limit` rows (an uncorrelated `(SELECT count(*) FROM …) < limit` becomes a
 * one-time filter: when false, the stage's scan never starts):
 *   p  name prefix:  `search_name ~>=~ q AND search_name ~<~ q || U+10FFFF`, ORDER BY
 *      search_name USING ~<~, LIMIT limit — an ordered walk of the btree text_pattern_ops index
 *      (contacts_search_name_idx) that stops after `limit` rows however common the prefix
 *      ("nguyen": 38 % of people). Exact matches sort first in it.
 *   g  given name (contacts): the same walk over `sort_name` (folded "given family middle") for
 *      the LAST word typed, every word a filter over the first 2,000 entries: Vietnamese people
 *      are looked for by their given name ("duc", "van anh", "hoang long"), which the trigram
 *      index finds slowly because its trigrams are in a large share of all names.
 *   e  email prefix (contacts): the same walk over `primary_email`, for a query without spaces
 *      that contains "@" or ".".
 *   w  word prefix:  `search_text LIKE '% q%'` through the trigram GIN index, LIMIT cap.
 *   x  every word:   `search_text LIKE '%w1%' AND … '%wn%'` (GIN), LIMIT cap.
 * Only the ≤ 3·limit + 2·cap candidates are ranked and sorted, never all the matches. Ranking
 * is exact while a stage finds fewer than `cap` rows; beyond that (a very common fragment) the
 * results are still matches, ranked among the first found — given-name matches before
 * middle-name ones, since stage g runs first.
 * A phone/tax-code query skips the name stages: one trigram stage over the digit patterns.
 *
 * Row-level security: PostgreSQL only uses an index for a condition that is LEAKPROOF or
 * evaluated after the RLS policy. textlike (LIKE) is not leakproof, so as sen_app neither the
 * prefix LIKE nor the trigram LIKE can use an index (measured on 1M contacts: 2.4 s instead of
 * 0.4 ms). The prefix stage therefore uses the leakproof pattern operators ~>=~ / ~<~, and the
 * statement is run as sen_system (policy `true`, which the planner drops) with the workspace,
 * scope and trash conditions written explicitly here; providers then load what they show for
 * these ids under RLS (registry.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SearchQuery } from './registry.js';

/** Candidates taken from a trigram stage before ranking. */
export const candidateCap = (limit: number) => Math.max(200, limit * 10);

/** Index entries a filtered prefix walk (stage g of a several-word query) reads at most. */
const walkCap = 2000;

/** Escape LIKE's wildcards (the default escape character is the backslash). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface DigitTerm {
  /** LIKE pattern for the candidate search. */
  candidate: string;
  /** `' ' || search_text || ' '` LIKE this: a whole word equals the term (rank 1). */
  exact: string;
  /** `' ' || search_text` LIKE this: a word starts with the term (rank 3). */
  word: string;
}

function digitTerms(query: SearchQuery, includeTaxCode: boolean): DigitTerm[] {
  const terms: DigitTerm[] = [];
  const add = (s: string, mustStartWord: boolean) => {
    const e = escapeLike(s);
    terms.push({
      candidate: mustStartWord ? `% ${e}%` : `%${e}%`,
      exact: `% ${e} %`,
      word: `% ${e}%`,
    });
  };
  if (query.phone?.contains) add(query.phone.contains, false);
  if (query.phone?.nationalPrefix) add(query.phone.nationalPrefix, true);
  if (includeTaxCode && query.digits && query.digits !== query.phone?.contains) {
    add(query.digits, false);
  }
  return terms;
}

const or = (parts: SQL[]) => sql.join(parts, sql` OR `);

/** The smallest string above every string that starts with s, in byte (C / pattern) order. */
const prefixEnd = (s: string) => `${s}\u{10FFFF}`;

/**
 * A statement returning `(id, rank, search_name)` of the best `query.limit` matches in `table`
 * of `workspaceId` (explicitly: it runs without RLS), not trashed, ordered by rank, then folded
 * name, then id. `scope` is the caller's visibility condition on `t.owner_id`
 * (scopeCondition), null for all.
 */
export function rankedMatches(opts: {
  table: string;
  workspaceId: string;
  query: SearchQuery;
  scope: SQL | null;
  /** Match query.digits against tax codes in search_text (companies). */
  taxCodes?: boolean;
  /** The folded "given family middle" column (stage g; needs a text_pattern_ops index). */
  givenNameColumn?: string;
  /** The primary email column (stage e; needs a text_pattern_ops index). */
  emailColumn?: string;
}): SQL | null {
  const { query } = opts;
  const t = sql.identifier(opts.table);
  const base = sql`t.workspace_id = ${opts.workspaceId} AND t.deleted_at IS NULL${
    opts.scope ? sql` AND (${opts.scope})` : sql``
  }`;
  const limit = query.limit;
  const cap = candidateCap(limit);

  if (query.phone || query.digits) {
    const terms = digitTerms(query, opts.taxCodes === true);
    if (terms.length === 0) return null;
    return sql`WITH x AS MATERIALIZED (
        SELECT t.id FROM ${t} t
        WHERE ${base} AND (${or(terms.map((d) => sql`t.search_text LIKE ${d.candidate}`))})
        LIMIT ${cap}
      )
      SELECT t.id, CASE
          WHEN ${or(terms.map((d) => sql`(' ' || t.search_text || ' ') LIKE ${d.exact}`))} THEN 1
          WHEN ${or(terms.map((d) => sql`(' ' || t.search_text) LIKE ${d.word}`))} THEN 3
          ELSE 4 END AS rank,
        t.search_name
      FROM ${t} t WHERE t.id IN (SELECT id FROM x)
      ORDER BY rank, t.search_name USING ~<~, t.id
      LIMIT ${limit}`;
  }

  const q = query.folded;
  if (q === '') return null;
  const e = escapeLike(q);
  const prefix = `${e}%`;
  const word = `% ${e}%`;
  const contains = `%${e}%`;
  // pg_trgm extracts no trigram from a pattern without a run of 3 letters/digits and would scan
  // the whole index: such queries use the name prefix stage only. A short word of a longer
  // query ("le minh") is looked for as a word start ('% le%': the space pads it to trigrams the
  // index has), which also keeps it from matching inside other words.
  const indexable = (w: string) => /[\p{L}\p{N}]{3}/u.test(w);
  const trigramStages = sql.raw(indexable(q) ? 'true' : 'false');
  const words = [...new Set(q.split(' '))];
  const everyWord =
    words.length > 1
      ? sql.join(
          words.map((w) =>
            indexable(w)
              ? sql`t.search_text LIKE ${`%${escapeLike(w)}%`}`
              : sql`t.search_text LIKE ${`% ${escapeLike(w)}%`}`,
          ),
          sql` AND `,
        )
      : sql`t.search_text LIKE ${contains}`;

  // An ordered walk of a text_pattern_ops index over the values starting with `start`; with a
  // filter, over the first `walkCap` of them only (the LIMIT inside keeps the planner from
  // trading the walk for the trigram index on the filter's LIKEs).
  const prefixStage = (column: string | undefined, start: string, filter: SQL | null) => {
    if (!column) return sql`SELECT NULL::uuid AS id WHERE false`;
    const c = sql`t.${sql.identifier(column)}`;
    const walk = (n: number) => sql`SELECT t.id, t.search_text FROM ${t} t
      WHERE (SELECT count(*) FROM p) < ${limit}
        AND ${base} AND ${c} ~>=~ ${start} AND ${c} ~<~ ${prefixEnd(start)}
      ORDER BY ${c} USING ~<~
      LIMIT ${n}`;
    if (!filter) return sql`SELECT id FROM (${walk(limit)}) t`;
    return sql`SELECT id FROM (${walk(walkCap)}) t WHERE ${filter} LIMIT ${limit}`;
  };
  const lastWord = words[words.length - 1] ?? q;
  const emailLike = !q.includes(' ') && /[@.]/.test(q);
  const found = sql`(SELECT count(*) FROM p) + (SELECT count(*) FROM g) + (SELECT count(*) FROM e)`;

  return sql`WITH p AS MATERIALIZED (
      SELECT t.id FROM ${t} t
      WHERE ${base} AND t.search_name ~>=~ ${q} AND t.search_name ~<~ ${prefixEnd(q)}
      ORDER BY t.search_name USING ~<~
      LIMIT ${limit}
    ), g AS MATERIALIZED (
      ${prefixStage(opts.givenNameColumn, lastWord, words.length > 1 ? everyWord : null)}
    ), e AS MATERIALIZED (
      ${prefixStage(emailLike ? opts.emailColumn : undefined, q, null)}
    ), w AS MATERIALIZED (
      SELECT t.id FROM ${t} t
      WHERE ${trigramStages} AND ${found} < ${limit}
        AND ${base} AND t.search_text LIKE ${word}
      LIMIT ${cap}
    ), x AS MATERIALIZED (
      SELECT t.id FROM ${t} t
      WHERE ${trigramStages}
        AND ${found} + (SELECT count(*) FROM w) < ${limit}
        AND ${base} AND ${everyWord}
      LIMIT ${cap}
    )
    SELECT t.id, CASE
        WHEN t.search_name = ${q} THEN 1
        WHEN t.search_name LIKE ${prefix} THEN 2
        WHEN (' ' || t.search_text) LIKE ${word} THEN 3
        WHEN t.search_text LIKE ${contains} THEN 4
        ELSE 5 END AS rank,
      t.search_name
    FROM ${t} t
    WHERE t.id IN (SELECT id FROM p UNION ALL SELECT id FROM g UNION ALL SELECT id FROM e
                   UNION ALL SELECT id FROM w UNION ALL SELECT id FROM x)
    ORDER BY rank, t.search_name USING ~<~, t.id
    LIMIT ${limit}`;
}
