/**
 * How a bank prints an account holder's name: upper case, no diacritics ("Công ty TNHH Sen Việt"
 * → "CONG TY TNHH SEN VIET"), single spaces. Pure code: the web form shows the same result as the
 * user types. Returns null when a character is left that banks do not print.
 */
export function normalizeAccountName(input: string): string | null {
  const s = input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
  return /^[A-Z0-9 .,&()/-]*$/.test(s) ? s : null;
}

/** An account number as banks show it: letters and digits, spaces, dots and dashes dropped. */
export function normalizeAccountNumber(input: string): string | null {
  const s = input.replace(/[\s.-]/g, '').toUpperCase();
  return /^[0-9A-Z]{4,19}$/.test(s) ? s : null;
}

/** A website as an https (or http) URL: "sen.vn" → "https://sen.vn". Null when not a URL. */
export function normalizeWebsite(input: string): string | null {
  const s = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(s) ? s : `https://${s}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (!url.hostname.includes('.') || url.username || url.password) return null;
    const out = url.toString();
    // "https://sen.vn/" → "https://sen.vn" when nothing follows the host.
    return url.pathname === '/' && !url.search && !url.hash ? out.replace(/\/$/, '') : out;
  } catch {
    return null;
  }
}
