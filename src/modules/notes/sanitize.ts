import sanitizeHtml from 'sanitize-html';

/**
 * Rich text of notes, cleaned on write with an allow-list: what the editor produces (paragraphs,
 * emphasis, lists, links, quotes, code, three heading levels) and nothing else. Scripts, styles,
 * event handlers, images, frames and any URL scheme but http, https and mailto are removed;
 * every link opens in a new tab without the opener or referrer.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
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
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
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
