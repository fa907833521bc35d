import { describe, expect, it } from 'vitest';
import { NOTE_ALLOWED_TAGS, sanitizeNoteHtml } from '../src/modules/notes/sanitize.js';

/**
 * The note sanitiser runs sanitize-html 2.17.5 (the last release for Node 20). The advisories
 * fixed after it only bite when raw-text or foreign elements are allowed: these tests fail the
 * moment the allow-list grows one, and check the published payloads come out inert.
 */
describe('note sanitiser', () => {
  it('allows no raw-text, foreign or embedding element', () => {
    const dangerous = [
      'textarea',
      'xmp',
      'svg',
      'math',
      'script',
      'style',
      'noscript',
      'noembed',
      'noframes',
      'plaintext',
      'title',
      'iframe',
      'object',
      'embed',
      'template',
      'option',
      'select',
      'img',
      'animate',
      'set',
    ];
    expect(NOTE_ALLOWED_TAGS.filter((t) => dangerous.includes(t))).toEqual([]);
  });

  it('neutralises the textarea/xmp mutation and SVG SMIL payloads', () => {
    const payloads = [
      '<textarea></textarea/><img src=x onerror=alert(1)>',
      '<xmp></xmp/><img src=x onerror=alert(1)></xmp>',
      '<svg><a><animate attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
      '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
      '<p>ok</p><math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    ];
    for (const html of payloads) {
      const clean = sanitizeNoteHtml(html);
      expect(clean).not.toMatch(/<(img|svg|animate|set|textarea|xmp|math|script)\b/i);
      expect(clean).not.toMatch(/onerror|javascript:/i);
    }
    expect(sanitizeNoteHtml('<p>Chào <strong>anh</strong></p>')).toBe(
      '<p>Chào <strong>anh</strong></p>',
    );
  });
});
