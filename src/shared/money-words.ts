/**
 * Money as Chinese legal text writes it: the figure with thousands separators and two decimals, and the amount in
 * financial capitals (大写), e.g. 1200000 fen → "人民币 12,000.00 元（大写：壹万贰仟元整）". Pure, integer arithmetic only.
 *
 * Conventions (PBOC 《支付结算办法》 附一 "正确填写票据和结算凭证的基本规定"), chosen once and kept:
 * - 拾 is always written with its digit, as on a bank cheque: 10 元 → 壹拾元整, 110,000 元 → 壹拾壹万元整.
 * - A run of zeros between figures is one 零: 6,007.14 → 陆仟零柒元壹角肆分; 1,000,001 → 壹佰万零壹元整.
 *   A 万/亿 group that starts with zero after a non-zero higher part takes 零 (壹亿零伍佰万); one that starts with a
 *   figure does not (107,000 → 壹拾万柒仟元整), the first of the two forms the rules allow.
 * - 元 is written whenever there are whole yuan; nothing is inserted between 元 and a non-zero 角
 *   (1,680.32 → 壹仟陆佰捌拾元叁角贰分, the form without 零 the rules allow).
 * - 角 zero and 分 not: 零 after 元, as the rules require (325.04 → 叁佰贰拾伍元零肆分).
 * - 整 after 元 only: amounts ending in 角 or 分 take none (100.50 → 壹佰元伍角; the rules say 整 "may be omitted"
 *   after 角, and the form ending in 角 reads the same way as the one ending in 分).
 * - Under one yuan no 零元 is written (0.05 → 伍分); zero itself is 零元整.
 */

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
/** The unit of each place in a group of four, ones first. */
const SMALL_UNITS = ' 拾佰仟';

/** 1..9999 in capitals, a zero run inside as one 零, trailing zeros dropped. */
function group(n: number): string {
  let out = '';
  let zero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS.charAt(d) + (pos > 0 ? SMALL_UNITS.charAt(pos) : '');
  }
  return out;
}

/** A positive whole number of yuan: split at 亿 then 万 so any size reads (壹万亿, 壹万零壹亿). */
function whole(n: number): string {
  for (const [size, unit] of [
    [100_000_000, '亿'],
    [10_000, '万'],
  ] as const) {
    if (n >= size) {
      const high = Math.floor(n / size);
      const low = n % size;
      // The lower part's leading place is empty (e.g. 壹万零伍拾): one 零 stands for it.
      const gap = low > 0 && low < size / 10 ? '零' : '';
      return whole(high) + unit + gap + (low > 0 ? whole(low) : '');
    }
  }
  return group(n);
}

function checkFen(fen: number): void {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`money must be a non-negative whole number of fen, got ${fen}`);
}

/** Integer fen (≥ 0) in financial capitals without the currency word: 1200050 → "壹万贰仟元伍角". */
export function amountInWords(fen: number): string {
  checkFen(fen);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cent = fen % 10;
  if (fen === 0) return '零元整';
  const head = yuan > 0 ? `${whole(yuan)}元` : '';
  if (jiao === 0 && cent === 0) return `${head}整`;
  const jiaoPart = jiao > 0 ? `${DIGITS.charAt(jiao)}角` : yuan > 0 ? '零' : '';
  const centPart = cent > 0 ? `${DIGITS.charAt(cent)}分` : '';
  return head + jiaoPart + centPart;
}

/** Integer fen (≥ 0) as the lower-case figure of legal text: 1200000 → "12,000.00". */
export function amountFigure(fen: number): string {
  checkFen(fen);
  const yuan = Math.floor(fen / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${yuan}.${(fen % 100).toString().padStart(2, '0')}`;
}

/** An amount as a contract states it: "人民币 12,000.00 元（大写：壹万贰仟元整）" (never "¥"). */
export function legalAmount(fen: number): string {
  return `人民币 ${amountFigure(fen)} 元（大写：${amountInWords(fen)}）`;
}
