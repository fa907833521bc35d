/**
 * An amount of đồng in Vietnamese words, as written on quotes, orders and invoices
 * ("Số tiền bằng chữ"): `amountInWords(1_200_000)` → "Một triệu hai trăm nghìn đồng chẵn".
 *
 * Conventions (those of Vietnamese invoice software and school grammar; the regional choices are
 * options):
 * - Digits: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín.
 * - Tens: 10 is "mười", 20–90 are "<digit> mươi" (hai mươi, chín mươi).
 * - Units after a tens word change form:
 *   - 1 is "mốt" after "mươi" (21 hai mươi mốt) but "một" after "mười" (11 mười một) and after
 *     "linh" (101 một trăm linh một);
 *   - 5 is "lăm" after any tens word (15 mười lăm, 25 hai mươi lăm) but "năm" after "linh"
 *     (105 một trăm linh năm) and alone (5 năm);
 *   - 4 is "tư" after "mươi" (24 hai mươi tư; option `four: 'bốn'` keeps "bốn"), and "bốn"
 *     after "mười" (14 mười bốn), after "linh" (104 một trăm linh bốn) and alone.
 * - A zero tens digit between hundreds and a non-zero unit is read "linh" (North, the default) or
 *   "lẻ" (South, option `zeroTens: 'lẻ'`): 105 một trăm linh năm / một trăm lẻ năm.
 * - Groups of three digits carry the scale words nghìn (or "ngàn", option `thousand`), triệu,
 *   tỷ. Above a tỷ the scales repeat on top of "tỷ": 10^12 "nghìn tỷ", 10^15 "triệu tỷ", 10^18
 *   "tỷ tỷ" (so 1,500,000,000,000 is "một nghìn năm trăm tỷ", not "một nghìn tỷ năm trăm tỷ").
 * - A group after the first non-zero one is read in full, its hundreds included:
 *   1,005 "một nghìn không trăm linh năm", 2,050,000 "hai triệu không trăm năm mươi nghìn".
 *   An all-zero group is left out entirely: 1,000,005 "một triệu không trăm linh năm".
 * - The words end in "đồng"; "chẵn" ("exactly") follows when the amount is a non-zero whole number
 *   of thousands (1,200,000 "… đồng chẵn", 21,000,000,000 "Hai mươi mốt tỷ đồng chẵn";
 *   1,005 "… linh năm đồng"); option `chan: false` leaves it out. 0 is "Không đồng".
 * - The first letter is capitalised, nothing else.
 *
 * Negative amounts, fractions and unsafe numbers are refused with a RangeError (pass a bigint for
 * amounts beyond Number.MAX_SAFE_INTEGER); there is no upper bound for a bigint.
 */

export interface AmountInWordsOptions {
  /** The word for a zero tens digit before a unit: 'linh' (North, default) or 'lẻ' (South). */
  zeroTens?: 'linh' | 'lẻ';
  /** The word for a thousand: 'nghìn' (default) or 'ngàn' (South). */
  thousand?: 'nghìn' | 'ngàn';
  /** 4 after "mươi": 'tư' (default, 24 hai mươi tư) or 'bốn' (hai mươi bốn). */
  four?: 'tư' | 'bốn';
  /** Append "chẵn" to a non-zero whole number of thousands (default true). */
  chan?: boolean;
  /** The currency word (default "đồng"). */
  currency?: string;
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

const digit = (d: number): string => DIGITS[d] ?? '';

type Resolved = Required<Omit<AmountInWordsOptions, 'currency' | 'chan'>>;

/** Words for 0 < n < 1000; `full` reads the hundreds even when zero ("không trăm linh năm"). */
function readGroup(n: number, full: boolean, o: Resolved): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const words: string[] = [];
  const hundreds = full || h > 0;
  if (hundreds) words.push(digit(h), 'trăm');
  if (t === 0) {
    if (u === 0) return words;
    if (hundreds) words.push(o.zeroTens);
    words.push(digit(u));
    return words;
  }
  if (t === 1) {
    words.push('mười');
    if (u === 5) words.push('lăm');
    else if (u > 0) words.push(digit(u));
    return words;
  }
  words.push(digit(t), 'mươi');
  if (u === 1) words.push('mốt');
  else if (u === 4) words.push(o.four);
  else if (u === 5) words.push('lăm');
  else if (u > 0) words.push(digit(u));
  return words;
}

/**
 * A non-negative integer in lower-case Vietnamese words, without currency: 21 → "hai mươi mốt",
 * 0 → "không".
 */
export function numberInWords(n: number | bigint, options: AmountInWordsOptions = {}): string {
  const value = toBigInt(n);
  if (value === 0n) return 'không';
  const o: Resolved = {
    zeroTens: options.zeroTens ?? 'linh',
    thousand: options.thousand ?? 'nghìn',
    four: options.four ?? 'tư',
  };
  // Groups of three digits, least significant first.
  const groups: number[] = [];
  for (let rest = value; rest > 0n; rest /= 1000n) groups.push(Number(rest % 1000n));
  const words: string[] = [];
  let started = false;
  // Blocks of three groups (nine digits) are counted in tỷ; inside a block: triệu, nghìn, units.
  for (let block = Math.ceil(groups.length / 3) - 1; block >= 0; block--) {
    let blockHasValue = false;
    for (let inBlock = 2; inBlock >= 0; inBlock--) {
      const g = groups[block * 3 + inBlock] ?? 0;
      if (g === 0) continue;
      words.push(...readGroup(g, started, o));
      if (inBlock === 2) words.push('triệu');
      else if (inBlock === 1) words.push(o.thousand);
      started = true;
      blockHasValue = true;
    }
    if (blockHasValue) for (let i = 0; i < block; i++) words.push('tỷ');
  }
  return words.join(' ');
}

/** The amount in words for a document: "Một triệu hai trăm nghìn đồng chẵn". */
export function amountInWords(n: number | bigint, options: AmountInWordsOptions = {}): string {
  const value = toBigInt(n);
  const currency = options.currency ?? 'đồng';
  const chan = (options.chan ?? true) && value > 0n && value % 1000n === 0n;
  const text = `${numberInWords(value, options)} ${currency}${chan ? ' chẵn' : ''}`;
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

function toBigInt(n: number | bigint): bigint {
  if (typeof n === 'number') {
    if (!Number.isSafeInteger(n)) {
      throw new RangeError(`amount in words: ${n} is not a safe integer (pass a bigint)`);
    }
    n = BigInt(n);
  }
  if (n < 0n) throw new RangeError(`amount in words: ${n} is negative`);
  return n;
}
