import { describe, expect, test } from 'vitest';
import {
  matchesSearch,
  matchScore,
  type PostFacts,
  rankPosts,
  unmetRequirements,
  type WorkerProfile,
} from '../matching.js';

const worker: WorkerProfile = {
  categories: ['maternity', 'infant_care'],
  skillLevel: 'level4',
  yearsExperience: 5,
  age: 42,
  district: '440106',
  certified: true,
  preferredModes: ['live_in'],
};
const post: PostFacts = {
  category: 'maternity',
  mode: 'live_in',
  district: '440106',
  minLevel: 'level5',
  certificateRequired: true,
  minExperienceYears: 2,
  minAge: 25,
  maxAge: 55,
  salaryMaxFen: 1_200_000,
};

describe('eligibility', () => {
  test('a worker meeting everything is eligible', () => {
    expect(unmetRequirements(worker, post)).toEqual([]);
  });
  test('each unmet requirement is named', () => {
    expect(unmetRequirements({ ...worker, age: 56 }, post)).toEqual(['age']);
    expect(unmetRequirements({ ...worker, age: 24 }, post)).toEqual(['age']);
    expect(unmetRequirements(worker, { ...post, minLevel: 'level3' })).toEqual(['level']);
    expect(unmetRequirements({ ...worker, skillLevel: null }, post)).toEqual(['level']);
    expect(unmetRequirements({ ...worker, yearsExperience: 1 }, post)).toEqual(['experience']);
    expect(unmetRequirements({ ...worker, certified: false }, post)).toEqual(['certificate']);
    expect(
      unmetRequirements({ ...worker, certified: false }, { ...post, certificateRequired: false }),
    ).toEqual([]);
  });
});

describe('scores and ranking', () => {
  test('category 50, same district 25, preferred mode 15, level above minimum 10', () => {
    expect(matchScore(worker, post)).toBe(100);
    expect(matchScore(worker, { ...post, district: '440113' })).toBe(75);
    expect(matchScore(worker, { ...post, mode: 'hourly' })).toBe(85);
    expect(matchScore(worker, { ...post, minLevel: 'level4' })).toBe(90);
    expect(matchScore({ ...worker, preferredModes: [] }, { ...post, mode: 'hourly' })).toBe(100);
    expect(matchScore({ ...worker, age: 60 }, post)).toBeNull();
  });

  test('recommendations keep eligible posts in the worker’s categories, best first, then better paid', () => {
    const posts = [
      { ...post, id: 'a', district: '440113' },
      { ...post, id: 'b' },
      { ...post, id: 'c', category: 'cleaning' },
      { ...post, id: 'd', maxAge: 40 },
      { ...post, id: 'e', salaryMaxFen: 1_500_000 },
    ];
    expect(rankPosts(worker, posts, 10).map((r) => [r.post.id, r.score])).toEqual([
      ['e', 100],
      ['b', 100],
      ['a', 75],
    ]);
    expect(rankPosts(worker, posts, 1).map((r) => r.post.id)).toEqual(['e']);
  });
});

describe('saved searches', () => {
  const p = {
    category: 'cleaning',
    mode: 'hourly',
    district: '440105',
    salaryMaxFen: 5_000,
    title: '海珠区钟点保洁',
    description: '每周三次',
  };
  const none = { categories: [], modes: [], district: null, minSalaryFen: null, keyword: null };
  test('empty criteria match anything; each criterion narrows', () => {
    expect(matchesSearch(none, p)).toBe(true);
    expect(matchesSearch({ ...none, categories: ['maternity'] }, p)).toBe(false);
    expect(matchesSearch({ ...none, categories: ['cleaning'], modes: ['hourly'] }, p)).toBe(true);
    expect(matchesSearch({ ...none, modes: ['live_in'] }, p)).toBe(false);
    expect(matchesSearch({ ...none, district: '440106' }, p)).toBe(false);
    expect(matchesSearch({ ...none, minSalaryFen: 5_001 }, p)).toBe(false);
    expect(matchesSearch({ ...none, minSalaryFen: 5_000 }, p)).toBe(true);
    expect(matchesSearch({ ...none, keyword: '保洁' }, p)).toBe(true);
    expect(matchesSearch({ ...none, keyword: '月嫂' }, p)).toBe(false);
  });
});
