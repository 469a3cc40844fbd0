import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { en } from '../en';
import { zhCN } from '../zh-CN';

const root = resolve(import.meta.dirname, '../../../../..');
const webDir = join(root, 'src/web');

/** UI source files: every .ts/.tsx under src/web except tests and the dictionaries themselves. */
function uiFiles(): string[] {
  return readdirSync(webDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|tsx)$/.test(d.name) && !/\.test\.tsx?$/.test(d.name))
    .map((d) => join(d.parentPath, d.name))
    .filter((f) => !f.includes(`${join('shared', 'i18n')}/`) && !f.includes('/__tests__/'));
}

// Attributes that reach people (screen readers read aria-label and alt; title and placeholder are shown).
const textAttributes = new Set(['title', 'placeholder', 'alt', 'aria-label', 'label', 'aria-description']);
// Chinese characters and Chinese punctuation (、，：（）): separators are locale-specific too.
const cjk = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
/**
 * Text meant for people: anything Chinese, or an English word of three letters or more that is not an
 * acronym or a URL. Format names (PDF, PNG), id hints (wk_…), URLs and symbols (·, /, ¥) are not words.
 */
function isWords(text: string): boolean {
  if (cjk.test(text)) return true;
  const latin = text.replace(/https?:\/\/\S*/g, '');
  return /\b(?![A-Z]+\b)[A-Za-z]{3,}\b/.test(latin);
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Finds UI text written into code instead of the dictionaries: JSX text, text attributes, CJK string literals. */
function hardCodedStrings(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Finding[] = [];
  const add = (node: ts.Node, text: string) =>
    found.push({
      file: relative(root, file),
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      text: text.trim().slice(0, 60),
    });
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && isWords(node.text)) add(node, node.text);
    else if (
      ts.isJsxAttribute(node) &&
      textAttributes.has(node.name.getText(sf)) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer) &&
      isWords(node.initializer.text)
    )
      add(node, node.initializer.text);
    else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && cjk.test(node.text))
      add(node, node.text);
    else if (ts.isTemplateExpression(node) && cjk.test(node.getText(sf))) add(node, node.getText(sf));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Text that stays in code on purpose, each with its reason. Keyed `file:text`; a stale entry fails the test,
 * so the list cannot rot.
 */
const allowed: Record<string, string> = {};

/** English texts that must show Chinese, each with its reason. */
const chineseAllowedInEnglish: Record<string, string> = {
  'lang.other': 'the switch offers Chinese by its own name',
  'training.importHelp': 'the import file has Chinese column headers, named exactly',
  'find.keyword.placeholder': 'profiles are written in Chinese, so example search words are Chinese',
};

describe('translations', () => {
  test('the English dictionary has every zh-CN key, and no extra ones', () => {
    const zhKeys = Object.keys(zhCN).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !(k in zhCN))).toEqual([]);
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
  });

  test('no translation is empty, and English texts contain no Chinese', () => {
    const empty = [
      ...Object.entries(zhCN).filter(([, v]) => !v.trim()),
      ...Object.entries(en).filter(([, v]) => !v.trim()),
    ].map(([k]) => k);
    expect(empty).toEqual([]);
    // Domain words may keep their Chinese name in parentheses, e.g. "maternity nurse (月嫂)".
    const chineseInEnglish = Object.entries(en)
      .filter(([k, v]) => !chineseAllowedInEnglish[k] && cjk.test(v.replace(/[（(][^)）]*[)）]/g, '')))
      .map(([k]) => k);
    expect(chineseInEnglish).toEqual([]);
  });

  test('placeholders match between languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = Object.keys(zhCN).filter(
      (k) =>
        JSON.stringify(vars(zhCN[k as keyof typeof zhCN])) !== JSON.stringify(vars(en[k as keyof typeof en])),
    );
    expect(mismatched).toEqual([]);
  });

  test('no UI text is hard-coded outside the translation files', () => {
    const findings = uiFiles().flatMap((f) => hardCodedStrings(f, readFileSync(f, 'utf8')));
    const unexplained = findings.filter((f) => !allowed[`${f.file}:${f.text}`]);
    expect(unexplained.map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`)).toEqual([]);
    const used = new Set(findings.map((f) => `${f.file}:${f.text}`));
    expect(Object.keys(allowed).filter((k) => !used.has(k))).toEqual([]);
  });

  test('the scanner finds JSX text, text attributes and Chinese literals, and ignores comments and symbols', () => {
    const src = [
      '// 注释里的中文不算',
      'const a = <p>保存</p>;',
      'const b = <Input placeholder="Search" />;',
      "const c = message.error('失败');",
      'const d = <span> · </span>;',
      "const e = t('orders.save');",
      'const f = <Button aria-label="close" />;',
      'const g = <a>PDF</a>;',
      'const h = <Input placeholder="https://" />;',
      "const i = list.join('、');",
    ].join('\n');
    expect(hardCodedStrings(join(webDir, 'x.tsx'), src).map((f) => [f.line, f.text])).toEqual([
      [2, '保存'],
      [3, 'Search'],
      [4, '失败'],
      [7, 'close'],
      [10, '、'],
    ]);
  });
});
