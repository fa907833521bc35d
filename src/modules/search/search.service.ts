import { can, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { foldForSearch, nameCollator, normalizeText } from '../../lib/vn/names.js';
import { phoneSearchKey } from '../../lib/vn/phone.js';
import { searchProviders, type PhoneTerms, type SearchHit, type SearchQuery } from './registry.js';

/** Only digits and what people put between them: a phone number or a tax code. */
const DIGITS_ONLY = /^[+\d\s.()\-\u2010-\u2015]+$/;

/**
 * What the user typed → the query every provider gets. A query of digits (≥ 3) is a phone
 * number or fragment (any form: "0912 345 678", "+84 912 345 678", "84912345678", "345678")
 * and a tax code; anything else is a name, email or text, matched on its folded form.
 */
export function parseSearchQuery(input: string, limit: number): SearchQuery {
  const raw = normalizeText(input);
  const folded = foldForSearch(raw);
  const digitCount = raw.replace(/\D/g, '').length;
  if (!DIGITS_ONLY.test(raw) || digitCount < 3) {
    return { raw, folded, phone: null, digits: null, limit };
  }
  const compact = raw.replace(/[\s.()\u2010-\u2015]/g, '');
  const taxLike = /^\d[\d-]*\d$/.test(compact) ? compact : null;
  return { raw, folded, phone: phoneTerms(raw), digits: taxLike, limit };
}

function phoneTerms(raw: string): PhoneTerms | null {
  const key = phoneSearchKey(raw);
  if (key === null) return null;
  const compact = raw.replace(/[\s.()\-\u2010-\u2015]/g, '');
  const international = compact.startsWith('+') || compact.startsWith('00');
  // "+84 912…", or "84912345678" (a whole number with its country code but no "+"): the digits
  // after 84 are the start of a national number.
  if (key.startsWith('84') && (international || key.length >= 11)) {
    const national = key.slice(2);
    return national.length > 0 ? { contains: null, nationalPrefix: national } : null;
  }
  return { contains: key, nationalPrefix: null };
}

export interface SearchInput {
  q: string;
  limit: number;
  types?: string[] | undefined;
}

/**
 * Global search over every registered provider the caller may read (a type they cannot read is
 * skipped, not an error): exact name matches first, then name prefixes, then word prefixes,
 * then "contains"; ties by name. Candidates are found in one sen_system transaction (indexes
 * cannot serve LIKE under RLS, see search.sql.ts) with the workspace, scope and trash written
 * into the SQL; what is shown is then loaded in one db.read() under RLS, which has the last word.
 */
export async function search(ctx: AppContext, actor: Actor, input: SearchInput) {
  const query = parseSearchQuery(input.q, input.limit);
  if (query.folded === '') return { items: [] };
  const wanted = input.types ? new Set(input.types) : null;
  const providers = searchProviders().filter(
    (p) => (!wanted || wanted.has(p.type)) && can(actor, p.permissionObject ?? p.type, 'read'),
  );
  if (providers.length === 0) return { items: [] };
  const found = await ctx.db.system((tx) =>
    Promise.all(providers.map((p) => p.candidates(tx, actor, query))),
  );
  if (found.every((list) => list.length === 0)) return { items: [] };
  const lists = await ctx.db.read(actor, (tx) =>
    Promise.all(
      providers.map((p, i) => {
        const candidates = found[i] ?? [];
        return candidates.length > 0 ? p.present(tx, actor, candidates) : Promise.resolve([]);
      }),
    ),
  );
  const hits = lists.flat().sort(compareHits).slice(0, input.limit);
  return {
    items: hits.map((h) => ({
      type: h.type,
      id: h.id,
      title: h.title,
      subtitle: h.subtitle,
      ownerId: h.ownerId,
    })),
  };
}

function compareHits(a: SearchHit, b: SearchHit): number {
  return (
    a.rank - b.rank ||
    (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0) ||
    nameCollator.compare(a.title, b.title) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
