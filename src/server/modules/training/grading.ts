import type { QuestionType } from './categories.js';

export interface GradableQuestion {
  id: string;
  type: QuestionType;
  topic: string;
  options: readonly string[];
  answer: readonly number[];
}

/**
 * Credit for one answer, 0..1:
 * - single choice and true/false: 1 when the one chosen option is the correct one, else 0;
 * - multiple choice (多选题): 1 for exactly the correct set; 0.5 when the chosen options are a non-empty strict
 *   subset of the correct ones (漏选得一半); 0 as soon as any wrong option is chosen (错选不得分) or nothing is.
 * Indices out of range or repeated count as wrong.
 */
export function creditFor(q: GradableQuestion, given: readonly number[] | undefined): number {
  if (!given || given.length === 0) return 0;
  const set = new Set(given);
  if (set.size !== given.length) return 0;
  if (given.some((i) => !Number.isInteger(i) || i < 0 || i >= q.options.length)) return 0;
  const correct = new Set(q.answer);
  if (q.type !== 'multiple') return given.length === 1 && correct.has(given[0]!) ? 1 : 0;
  if (given.some((i) => !correct.has(i))) return 0;
  return set.size === correct.size ? 1 : 0.5;
}

export interface Grade {
  /** Percentage 0..100, rounded half up to a whole point. */
  score: number;
  passed: boolean;
  /** Points per topic (one point per question; half points from partial multiple-choice answers). */
  breakdown: { topic: string; earned: number; total: number }[];
}

/** Grades a paper: every question weighs the same; the score is earned / total as a percentage. Pure. */
export function gradePaper(
  questions: readonly GradableQuestion[],
  answers: Readonly<Record<string, readonly number[]>>,
  passScore: number,
): Grade {
  const topics = new Map<string, { earned: number; total: number }>();
  let earned = 0;
  for (const q of questions) {
    const c = creditFor(q, answers[q.id]);
    earned += c;
    const t = topics.get(q.topic) ?? { earned: 0, total: 0 };
    t.earned += c;
    t.total += 1;
    topics.set(q.topic, t);
  }
  const score = questions.length === 0 ? 0 : Math.floor((earned / questions.length) * 100 + 0.5);
  return {
    score,
    passed: score >= passScore,
    breakdown: [...topics].map(([topic, v]) => ({ topic, ...v })),
  };
}
