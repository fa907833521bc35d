/**
 * A check for words a person should never read: i18n keys that did not resolve
 * (`settings.customFields.summary`) and raw field or object keys (`deleted_at`, `roleId`,
 * `custom_fields`). Journeys call expectTranslated(page) on every page they show.
 */
import type { Page } from 'playwright-core';

// Words are delimited by any letter or digit, not only ASCII ones: "Không" is one word.
const W = String.raw`[\p{L}\p{N}_]`;
const word = (body: string) => new RegExp(String.raw`(?<!${W})${body}(?!${W})`, 'gu');
/** Three or more dotted lower-case words: an i18n key printed as is. */
const I18N_KEY = word(String.raw`[a-z]+(?:\.[a-zA-Z]+){2,}`);
/** snake_case: two or more words joined by underscores. */
const SNAKE = word(String.raw`[a-z][a-z0-9]*(?:_[a-z0-9]+)+`);
/** camelCase: a lower-case word followed by capitalised ones (`roleId`, `deletedAt`). */
const CAMEL = word(String.raw`[a-z]+(?:[A-Z][a-z0-9]*)+`);

/** Text that may legitimately look like code: addresses, links, ids, API key secrets. */
const IGNORED = [
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, // emails
  /\bhttps?:\/\/\S+/g, // URLs
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUIDs
  /\bsen_[A-Za-z0-9_-]+/g, // API keys (the secret and its prefix)
];

/** Raw keys and untranslated i18n keys in a text; `allow` lists strings the page may show. */
export function findUntranslated(text: string, allow: readonly (string | RegExp)[] = []): string[] {
  let rest = text;
  for (const re of IGNORED) rest = rest.replace(re, ' ');
  const found = new Set<string>();
  for (const re of [I18N_KEY, SNAKE, CAMEL]) {
    for (const m of rest.matchAll(re)) found.add(m[0]);
  }
  return [...found].filter(
    (word) => !allow.some((a) => (typeof a === 'string' ? a === word : a.test(word))),
  );
}

/**
 * Fails when the visible text of the page (and the accessible names of its controls, which a
 * screen reader reads) contains an untranslated key or a raw field name.
 */
export async function expectTranslated(
  page: Page,
  opts: { allow?: readonly (string | RegExp)[] } = {},
): Promise<void> {
  // A string, evaluated in the page (the server's tsconfig has no DOM types).
  const text = String(
    await page.evaluate(`(() => {
      const labels = [...document.querySelectorAll('[aria-label], [title], [placeholder]')]
        .filter((el) => !el.closest('[aria-hidden="true"]'))
        .map((el) => ['aria-label', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? '').join(' '));
      return document.title + '\\n' + document.body.innerText + '\\n' + labels.join('\\n');
    })()`),
  );
  const found = findUntranslated(text, opts.allow);
  if (found.length > 0) {
    throw new Error(
      `Untranslated keys or raw field names on ${new URL(page.url()).pathname}: ${found.join(', ')}`,
    );
  }
}
