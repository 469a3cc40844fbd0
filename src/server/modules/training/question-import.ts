import { skillLevelCodes } from '../../../shared/domain.js';
import {
  categoryByName,
  type Difficulty,
  difficultyAliases,
  type QuestionType,
  topicByName,
  typeAliases,
} from './categories.js';

/** A question ready to store. */
export interface QuestionInput {
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[];
  category: string;
  level: string | null;
  topic: string;
  difficulty: Difficulty;
  explanation: string | null;
}

export interface RowError {
  /** 1-based spreadsheet row (the header is row 1). */
  row: number;
  column: string;
  message: string;
}

/** Column headers, Chinese or English; options are 选项A … 选项F. */
const HEADERS: Record<string, string> = {
  题型: 'type',
  type: 'type',
  题干: 'stem',
  stem: 'stem',
  答案: 'answer',
  answer: 'answer',
  分类: 'category',
  category: 'category',
  等级: 'level',
  level: 'level',
  知识点: 'topic',
  topic: 'topic',
  难度: 'difficulty',
  difficulty: 'difficulty',
  解析: 'explanation',
  explanation: 'explanation',
};
const OPTION_LETTERS = 'ABCDEF';
const REQUIRED = ['type', 'stem', 'answer', 'category', 'topic', 'difficulty'];
export const MAX_IMPORT_ROWS = 2000;
const TRUE_WORDS = ['对', '正确', '√', 'T', 'TRUE', '是'];
const FALSE_WORDS = ['错', '错误', '×', 'F', 'FALSE', '否'];

function parseAnswer(type: QuestionType, raw: string, optionCount: number): number[] | string {
  const v = raw.trim().toUpperCase();
  if (type === 'true_false') {
    if (TRUE_WORDS.includes(v)) return [0];
    if (FALSE_WORDS.includes(v)) return [1];
    return '判断题答案应为“对”或“错”';
  }
  const letters = v.replace(/[\s,，、]/g, '');
  if (!letters) return '缺少答案';
  const idx = [...letters].map((ch) => OPTION_LETTERS.indexOf(ch));
  if (idx.some((i) => i < 0 || i >= optionCount)) return `答案“${raw.trim()}”不是已给出的选项`;
  if (new Set(idx).size !== idx.length) return '答案中有重复的选项';
  if (type === 'single' && idx.length !== 1) return '单选题只能有一个答案';
  if (type === 'multiple' && idx.length < 2) return '多选题至少有两个答案';
  return idx.sort((a, b) => a - b);
}

/**
 * Turns spreadsheet rows (first row: headers) into questions, or reports every bad row with its row number and
 * column. The caller stores nothing unless `errors` is empty.
 */
export function parseQuestionRows(rows: string[][]): { questions: QuestionInput[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const questions: QuestionInput[] = [];
  const header = rows[0]?.map((h) => h.trim()) ?? [];
  const col = new Map<string, number>();
  const optionCols: number[] = [];
  header.forEach((h, i) => {
    const m = /^(?:选项|option\s*)([A-F])$/i.exec(h);
    if (m) optionCols[OPTION_LETTERS.indexOf(m[1]!.toUpperCase())] = i;
    else if (HEADERS[h.toLowerCase()] ?? HEADERS[h]) col.set((HEADERS[h.toLowerCase()] ?? HEADERS[h])!, i);
  });
  for (const r of REQUIRED) if (!col.has(r)) errors.push({ row: 1, column: r, message: `缺少列：${r}` });
  if (errors.length) return { questions, errors };
  const body = rows.slice(1);
  if (body.length > MAX_IMPORT_ROWS)
    return { questions, errors: [{ row: 1, column: '', message: `一次最多导入 ${MAX_IMPORT_ROWS} 行` }] };

  /** Checks one row: stores the question and answers true, or records the row's error and answers false. */
  const handleRow = (cells: string[], i: number): boolean => {
    const row = i + 2;
    const get = (k: string) => (cells[col.get(k)!] ?? '').trim();
    if (cells.every((c) => c.trim() === '')) return false;
    const bad = (column: string, message: string): false => {
      errors.push({ row, column, message });
      return false;
    };
    const type = typeAliases[get('type').toLowerCase()] ?? typeAliases[get('type')];
    if (!type) return bad('type', `未知题型“${get('type')}”（单选/多选/判断）`);
    const stem = get('stem');
    if (!stem) return bad('stem', '题干为空');
    if (stem.length > 1000) return bad('stem', '题干超过 1000 字');
    let options: string[];
    if (type === 'true_false') options = ['对', '错'];
    else {
      const raw = optionCols.map((c) => (c === undefined ? '' : (cells[c] ?? '').trim()));
      const lastFilled = raw.reduce((acc, v, k) => (v ? k : acc), -1);
      options = raw.slice(0, lastFilled + 1);
      if (options.some((o) => !o)) return bad('options', '选项之间不能有空缺');
      if (options.length < 2) return bad('options', '至少需要两个选项');
      if (options.some((o) => o.length > 300)) return bad('options', '选项超过 300 字');
    }
    const answer = parseAnswer(type, get('answer'), options.length);
    if (typeof answer === 'string') return bad('answer', answer);
    const category = categoryByName.get(get('category'));
    if (!category) return bad('category', `未知分类“${get('category')}”`);
    const topic = topicByName.get(get('topic'));
    if (!topic) return bad('topic', `未知知识点“${get('topic')}”`);
    const difficulty =
      difficultyAliases[get('difficulty').toLowerCase()] ?? difficultyAliases[get('difficulty')];
    if (!difficulty) return bad('difficulty', `未知难度“${get('difficulty')}”（易/中/难）`);
    const level = col.has('level') ? get('level') : '';
    if (level && !(skillLevelCodes as readonly string[]).includes(level))
      return bad('level', `未知等级“${level}”（level5…level2）`);
    questions.push({
      type,
      stem,
      options,
      answer,
      category,
      level: level || null,
      topic,
      difficulty,
      explanation: col.has('explanation') ? get('explanation') || null : null,
    });
    return true;
  };
  for (const [i, cells] of body.entries()) handleRow(cells, i);
  if (body.length === 0 || (questions.length === 0 && errors.length === 0))
    errors.push({ row: 2, column: '', message: '文件中没有题目' });
  return { questions, errors };
}
