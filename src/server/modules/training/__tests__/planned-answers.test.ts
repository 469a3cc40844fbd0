import { expect, test } from 'vitest';
import { gradePaper } from '../grading.js';
import { plannedAnswers } from '../seed.js';

// The demo seed plans who passes the 岗前考试; a planned wrong answer must earn nothing, or a planned fail can pass
// (this made the seed test fail at random on PostgreSQL: the old wrong answer "the next option" was a correct
// subset of a multiple-choice key, worth half).
test('planned wrong answers earn no credit, even on multiple choice', () => {
  const questions = [
    { id: 'q1', type: 'multiple' as const, topic: '安全知识', options: ['A', 'B', 'C', 'D'], answer: [0, 1] },
    {
      id: 'q2',
      type: 'multiple' as const,
      topic: '安全知识',
      options: ['A', 'B', 'C', 'D'],
      answer: [1, 2, 3],
    },
    { id: 'q3', type: 'single' as const, topic: '法律常识', options: ['A', 'B', 'C', 'D'], answer: [3] },
    { id: 'q4', type: 'true_false' as const, topic: '职业道德', options: ['对', '错'], answer: [0] },
    { id: 'q5', type: 'single' as const, topic: '礼仪', options: ['A', 'B'], answer: [1] },
  ];
  const answers = plannedAnswers(questions, 4);
  const grade = gradePaper(questions, answers, 80);
  expect(grade.score).toBe(20);
  expect(answers.q5).toEqual([1]);
  for (const q of questions.slice(0, 4)) expect(q.answer).not.toContain(answers[q.id]![0]);
});
