import type { PostMode } from './rules.js';

/** Skill levels lowest first (national standard 家政服务员: 五级 … 二级). */
const levelRank: Record<string, number> = { level5: 1, level4: 2, level3: 3, level2: 4 };

export interface WorkerProfile {
  categories: string[];
  skillLevel: string | null;
  yearsExperience: number | null;
  age: number;
  district: string | null;
  certified: boolean;
  /** Modes the worker prefers (from their saved searches); empty = no preference. */
  preferredModes: PostMode[];
}

export interface PostFacts {
  category: string;
  mode: PostMode;
  district: string;
  minLevel: string | null;
  certificateRequired: boolean;
  minExperienceYears: number;
  minAge: number;
  maxAge: number;
  salaryMaxFen: number;
}

export type Unmet = 'age' | 'level' | 'experience' | 'certificate';

/** The hard requirements of a post a worker does not meet (empty = eligible). */
export function unmetRequirements(w: WorkerProfile, p: PostFacts): Unmet[] {
  const out: Unmet[] = [];
  if (w.age < p.minAge || w.age > p.maxAge) out.push('age');
  if (p.minLevel && (levelRank[w.skillLevel ?? ''] ?? 0) < (levelRank[p.minLevel] ?? 0)) out.push('level');
  if ((w.yearsExperience ?? 0) < p.minExperienceYears) out.push('experience');
  if (p.certificateRequired && !w.certified) out.push('certificate');
  return out;
}

/**
 * How well a post suits a worker, 0–100, for recommendations; null when the worker is not eligible. Category is
 * what matters most (50), then place (25: same district), preferred mode (15), and a level above the minimum (10).
 */
export function matchScore(w: WorkerProfile, p: PostFacts): number | null {
  if (unmetRequirements(w, p).length) return null;
  let score = 0;
  if (w.categories.includes(p.category)) score += 50;
  if (w.district && w.district === p.district) score += 25;
  if (!w.preferredModes.length || w.preferredModes.includes(p.mode)) score += 15;
  if (p.minLevel === null || (levelRank[w.skillLevel ?? ''] ?? 0) > (levelRank[p.minLevel] ?? 0)) score += 10;
  return score;
}

/** Recommendations: eligible posts in the worker's categories, best score first, then higher pay. */
export function rankPosts<P extends PostFacts & { id: string }>(
  w: WorkerProfile,
  posts: P[],
  limit: number,
): { post: P; score: number }[] {
  return posts
    .map((post) => ({ post, score: matchScore(w, post) }))
    .filter(
      (x): x is { post: P; score: number } => x.score !== null && w.categories.includes(x.post.category),
    )
    .sort(
      (a, b) =>
        b.score - a.score || b.post.salaryMaxFen - a.post.salaryMaxFen || (a.post.id < b.post.id ? 1 : -1),
    )
    .slice(0, limit);
}

export interface SavedSearchCriteria {
  categories: string[];
  modes: string[];
  district: string | null;
  minSalaryFen: number | null;
  keyword: string | null;
}

/** Whether a post matches a saved search (empty lists match anything). */
export function matchesSearch(
  s: SavedSearchCriteria,
  p: {
    category: string;
    mode: string;
    district: string;
    salaryMaxFen: number;
    title: string;
    description: string;
  },
): boolean {
  if (s.categories.length && !s.categories.includes(p.category)) return false;
  if (s.modes.length && !s.modes.includes(p.mode)) return false;
  if (s.district && s.district !== p.district) return false;
  if (s.minSalaryFen !== null && p.salaryMaxFen < s.minSalaryFen) return false;
  if (s.keyword && !`${p.title}${p.description}`.includes(s.keyword)) return false;
  return true;
}
