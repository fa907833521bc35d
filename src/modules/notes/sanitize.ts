import sanitizeHtml from 'sanitize-html';

/**
 * Rich text of notes, cleaned on write with an allow-list: what the editor produces (paragraphs,
 * emphasis, lists, links, quotes, code, three heading levels) and nothing else. Scripts, styles,
 * event handlers, images, frames and any URL scheme but http, https and mailto are removed;
 * every link opens in a new tab without the opener or referrer.
 */
export const NOTE_ALLOWED_TAGS: readonly string[] = [
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'ul',
  'ol',
  'li',
  'a',
  'blockquote',
  'code',
  'pre',
  'h1',
  'h2',
  'h3',
  // A mention of a member: <span data-mention="<user id>">@Tên</span> (only that attribute).
  'span',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * sanitize-html is pinned to 2.17.5, the last release that runs on Node 20 (2.17.6+ require
 * Node 22.12). The advisories fixed after it (mutation XSS through `textarea`/`xmp`, SVG SMIL
 * animations of URL attributes) need those elements in the allow-list; ours has none, and
 * test/sanitize.unit.test.ts fails if a raw-text or foreign element is ever allowed.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [...NOTE_ALLOWED_TAGS],
  allowedAttributes: { a: ['href', 'rel', 'target'], span: ['data-mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    span: (_tagName, attribs) => {
      const user = attribs['data-mention'];
      const kept: sanitizeHtml.Attributes = {};
      if (user && UUID.test(user)) kept['data-mention'] = user.toLowerCase();
      return { tagName: 'span', attribs: kept };
    },
    a: (_tagName, attribs) => ({
      tagName: 'a',
      attribs: {
        ...(attribs.href ? { href: attribs.href } : {}),
        rel: 'noopener noreferrer nofollow',
        target: '_blank',
      },
    }),
  },
};

export function sanitizeNoteHtml(html: string): string {
  return sanitizeHtml(html.normalize('NFC'), options).trim();
}

/** The members mentioned in sanitised HTML (their ids, each once, in order). */
export function mentionedUserIds(cleanHtml: string): string[] {
  const ids = [...cleanHtml.matchAll(/<span data-mention="([0-9a-f-]{36})">/g)].map((m) => m[1]!);
  return [...new Set(ids)];
}

const BLOCK_END = /<\/(p|li|h1|h2|h3|blockquote|pre)>|<br\s*\/?>/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/** The plain text of sanitised HTML (search, previews, the audit log): blocks become lines. */
export function htmlToText(cleanHtml: string): string {
  const text = sanitizeHtml(
    cleanHtml.replace(BLOCK_END, (m) => `${m}\n`),
    {
      allowedTags: [],
      allowedAttributes: {},
    },
  );
  return text
    .replace(/&(amp|lt|gt|quot);/g, (m) => ENTITIES[m] ?? m)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
