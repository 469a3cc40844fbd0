/**
 * Chinese keyword search without a sequential scan: text is indexed as its unigrams and bigrams (GIN over
 * text[]), a query must contain all of its bigrams (or its single character), then an exact substring recheck
 * removes the rare false positives (bigrams present but not adjacent). pg_trgm cannot do this: a 2-character word
 * such as 月嫂 yields no trigram. Latin words and digit runs are indexed whole, lower-cased.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/gu;

/** The normalised form both indexing and queries use: lower case, full-width ASCII folded. */
export function normalise(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase();
}

/** Tokens stored for a text: every CJK unigram and bigram, every Latin word; deduplicated. */
export function indexTokens(text: string): string[] {
  const out = new Set<string>();
  for (const run of normalise(text).match(RUNS) ?? []) {
    if (!CJK.test(run)) {
      out.add(run);
      continue;
    }
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      out.add(chars[i]!);
      if (i + 1 < chars.length) out.add(chars[i]! + chars[i + 1]!);
    }
  }
  return [...out];
}

/**
 * Tokens a query needs: the bigrams of each CJK run (its character when it is one character long) and each Latin
 * word. Empty when the query has no searchable character.
 */
export function queryTokens(query: string): string[] {
  const out = new Set<string>();
  for (const run of normalise(query).match(RUNS) ?? []) {
    if (!CJK.test(run)) {
      out.add(run);
      continue;
    }
    const chars = Array.from(run);
    if (chars.length === 1) out.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out];
}

/** The query's runs, for the substring recheck (each must appear in the normalised text). */
export function queryRuns(query: string): string[] {
  return normalise(query).match(RUNS) ?? [];
}

/**
 * The most a keyword token missing from ANALYZE's most-common-elements list of `search_tokens` can be in, as a
 * fraction of rows. ANALYZE counts elements with lossy counting (array_typanalyze.c): with K = 10 × the column's
 * statistics target it keeps every element found in at least 0.07 / K of all element occurrences and then the K most
 * frequent; so when it kept fewer than K, a missing element is below 0.07 / K of the occurrences, i.e. below
 * 0.07 × (elements per row) / K of the rows. A full list bounds it only by the list's least frequency.
 */
export function missingTokenBound(s: {
  listed: number;
  floor: number;
  statisticsTarget: number;
  elementsPerRow: number | null;
}): number {
  const k = 10 * s.statisticsTarget;
  if (s.listed >= k || s.elementsPerRow === null || !(s.elementsPerRow > 0) || !(k > 0)) return s.floor;
  return Math.min(s.floor, (0.07 * s.elementsPerRow) / k);
}
