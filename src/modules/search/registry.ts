import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';

/** A match found by a provider's candidate search: ranked, not yet presented. */
export interface SearchCandidate {
  id: string;
  /** 1 exact name, 2 name prefix, 3 a word of the record starts with the query, 4–5 contains. */
  rank: number;
  /** Folded name: ties of rank are broken by it (then by title, then id). */
  sortKey: string;
}

/** One result of the global search box. */
export interface SearchHit extends SearchCandidate {
  type: string;
  title: string;
  subtitle: string | null;
  ownerId: string | null;
}

/** What the user typed, parsed once for every provider. */
export interface SearchQuery {
  /** As typed (trimmed, NFC). */
  raw: string;
  /** foldForSearch(raw): lower-case, no diacritics, đ → d, single spaces. */
  folded: string;
  /** Phone digit patterns when the query is a phone number or a fragment of one, else null. */
  phone: PhoneTerms | null;
  /** The digits as typed, without spaces/dots ("0100109106"), for tax codes; null otherwise. */
  digits: string | null;
  limit: number;
}

export interface PhoneTerms {
  /** Digits to look for anywhere in the stored numbers (national digits, no trunk 0). */
  contains: string | null;
  /** National digits the number must START with (the user typed +84…/84… before them). */
  nationalPrefix: string | null;
}

/**
 * A searchable object. Later objects (deals, tickets…) register one from their own module; the
 * search module never needs editing. The service has already checked the read permission of
 * `permissionObject` (default: `type`). Two steps:
 *
 * - `candidates` runs as **sen_system** (db.system) because PostgreSQL does not use an index
 *   for a LIKE under row-level security (textlike is not LEAKPROOF; see search.sql.ts). It
 *   returns only ids and ranks, and MUST itself restrict to `actor.workspaceId`, the caller's
 *   visibility scope and non-trashed rows (rankedMatches() does all three).
 * - `present` runs in db.read() as sen_app (RLS) and loads titles for those ids, applying the
 *   scope and the trash filter again: only what it returns reaches the caller, so a mistake in
 *   `candidates` can never show a record the caller may not see.
 */
export interface SearchProvider {
  /** The `type` of its hits and the key callers pass in `types=`. */
  type: string;
  /** Permission object whose `read` the caller needs (default: `type`). */
  permissionObject?: string;
  candidates(tx: Tx, actor: Actor, query: SearchQuery): Promise<SearchCandidate[]>;
  present(tx: Tx, actor: Actor, candidates: SearchCandidate[]): Promise<SearchHit[]>;
}

const providers = new Map<string, SearchProvider>();

export function registerSearchProvider(provider: SearchProvider): void {
  providers.set(provider.type, provider);
}

export function searchProviders(): SearchProvider[] {
  return [...providers.values()];
}
