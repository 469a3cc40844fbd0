import { serviceCategories } from '../../../shared/domain.js';

/** Training categories: the three broad fields of the 家政服务员 standard, then every service category. */
export const trainingCategories = [
  { code: 'maternal_infant', zh: '母婴护理', en: 'Maternal and infant care' },
  { code: 'housework', zh: '家务服务', en: 'Housework' },
  { code: 'family_care', zh: '家庭照护', en: 'Family care' },
  ...serviceCategories,
] as const;
export const trainingCategoryCodes = trainingCategories.map((c) => c.code) as [string, ...string[]];

/** Question topics (题目知识点). */
export const questionTopics = [
  { code: 'ethics', zh: '职业道德', en: 'Professional ethics' },
  { code: 'law', zh: '法律常识', en: 'Legal basics' },
  { code: 'safety', zh: '安全知识', en: 'Safety' },
  { code: 'first_aid', zh: '急救技能', en: 'First aid' },
  { code: 'etiquette', zh: '礼仪', en: 'Etiquette' },
  { code: 'skills', zh: '专业技能', en: 'Professional skills' },
] as const;
export const questionTopicCodes = questionTopics.map((c) => c.code) as [string, ...string[]];

export const questionTypes = ['single', 'multiple', 'true_false'] as const;
export type QuestionType = (typeof questionTypes)[number];
export const difficulties = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof difficulties)[number];
export const courseKinds = ['pre_job', 'skill', 'refresher'] as const;
export type CourseKind = (typeof courseKinds)[number];
export const lessonKinds = ['text', 'pdf', 'video_file', 'video_url'] as const;

/** Import-friendly aliases: the Chinese words a spreadsheet carries map to codes. */
export const typeAliases: Record<string, QuestionType> = {
  single: 'single',
  单选: 'single',
  单选题: 'single',
  multiple: 'multiple',
  多选: 'multiple',
  多选题: 'multiple',
  true_false: 'true_false',
  判断: 'true_false',
  判断题: 'true_false',
};
export const difficultyAliases: Record<string, Difficulty> = {
  easy: 'easy',
  易: 'easy',
  简单: 'easy',
  medium: 'medium',
  中: 'medium',
  中等: 'medium',
  hard: 'hard',
  难: 'hard',
  困难: 'hard',
};

const byZh = <T extends readonly { code: string; zh: string }[]>(list: T) =>
  new Map<string, string>(list.flatMap((c) => [[c.code, c.code] as const, [c.zh, c.code] as const]));
export const topicByName = byZh(questionTopics);
export const categoryByName = byZh(trainingCategories);

export const labelIn = (list: readonly { code: string; zh: string; en: string }[], code: string) =>
  list.find((c) => c.code === code)?.zh ?? code;
