import { createHash } from 'node:crypto';

/** A drawing rule: `count` questions of one topic and difficulty. */
export interface DrawRule {
  topic: string;
  difficulty: string;
  count: number;
}

export interface DrawableQuestion {
  id: string;
  topic: string;
  difficulty: string;
}

/** A deterministic PRNG (mulberry32) seeded from a string, so a paper can be re-drawn and tests are repeatable. */
export function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export type DrawResult =
  | { ok: true; questionIds: string[] }
  | { ok: false; shortages: { topic: string; difficulty: string; wanted: number; available: number }[] };

/**
 * Draws a paper: for each rule, `count` distinct questions of that topic and difficulty, chosen uniformly with
 * the seeded generator; the whole paper is then shuffled. Two rules naming the same pool draw without overlap.
 * Refuses (with every shortage) when a pool holds fewer questions than its rules ask for.
 */
export function drawPaper(pool: DrawableQuestion[], rules: DrawRule[], seed: string): DrawResult {
  const rnd = seededRandom(seed);
  const key = (t: string, d: string) => `${t}\u0000${d}`;
  const wanted = new Map<string, number>();
  for (const r of rules)
    wanted.set(key(r.topic, r.difficulty), (wanted.get(key(r.topic, r.difficulty)) ?? 0) + r.count);
  const byKey = new Map<string, string[]>();
  // Sort first so the draw depends only on the seed and the pool's content, not on the order rows came back in.
  for (const q of [...pool].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    const k = key(q.topic, q.difficulty);
    byKey.set(k, [...(byKey.get(k) ?? []), q.id]);
  }
  const shortages = [...wanted].flatMap(([k, n]) => {
    const available = byKey.get(k)?.length ?? 0;
    const [topic, difficulty] = k.split('\u0000') as [string, string];
    return available < n ? [{ topic, difficulty, wanted: n, available }] : [];
  });
  if (shortages.length) return { ok: false, shortages };
  const picked: string[] = [];
  for (const [k, n] of wanted) picked.push(...shuffle(byKey.get(k)!, rnd).slice(0, n));
  return { ok: true, questionIds: shuffle(picked, rnd) };
}
