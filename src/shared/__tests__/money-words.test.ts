import { describe, expect, test } from 'vitest';
import { amountFigure, amountInWords, legalAmount } from '../money-words.js';

const yuan = (y: number) => y * 100;

/** An independent reader of the capitals (the test's oracle): back to fen. */
function readWords(w: string): number {
  const digit = '零壹贰叁肆伍陆柒捌玖';
  const small: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };
  let yi = 0;
  let wan = 0;
  let sec = 0;
  let num = 0;
  let fen = 0;
  for (const ch of w.replace(/整$/, '')) {
    if (digit.includes(ch)) num = digit.indexOf(ch);
    else if (ch in small) {
      sec += num * small[ch]!;
      num = 0;
    } else if (ch === '万') {
      wan = (sec + num) * 10_000;
      sec = num = 0;
    } else if (ch === '亿') {
      yi = (yi + wan + sec + num) * 100_000_000;
      wan = sec = num = 0;
    } else if (ch === '元') {
      fen += (yi + wan + sec + num) * 100;
      num = 0;
    } else if (ch === '角') {
      fen += num * 10;
      num = 0;
    } else if (ch === '分') {
      fen += num;
      num = 0;
    } else throw new Error(`unexpected ${ch} in ${w}`);
  }
  return fen;
}

describe('amountInWords (大写)', () => {
  test.each([
    [0, '零元整'],
    [1, '壹分'],
    [5, '伍分'],
    [10, '壹角'],
    [50, '伍角'],
    [51, '伍角壹分'],
    [yuan(1), '壹元整'],
    [yuan(10), '壹拾元整'],
    [yuan(11), '壹拾壹元整'],
    [yuan(20), '贰拾元整'],
    [yuan(100), '壹佰元整'],
    [10_050, '壹佰元伍角'],
    [10_055, '壹佰元伍角伍分'],
    [yuan(101), '壹佰零壹元整'],
    [yuan(110), '壹佰壹拾元整'],
    [yuan(1_001), '壹仟零壹元整'],
    [yuan(1_010), '壹仟零壹拾元整'],
    [140_950, '壹仟肆佰零玖元伍角'],
    [600_714, '陆仟零柒元壹角肆分'],
    [168_032, '壹仟陆佰捌拾元叁角贰分'],
    [32_504, '叁佰贰拾伍元零肆分'],
    [1_640_902, '壹万陆仟肆佰零玖元零贰分'],
    [yuan(10_002), '壹万零贰元整'],
    [yuan(10_020), '壹万零贰拾元整'],
    [yuan(12_000), '壹万贰仟元整'],
    [yuan(7_000), '柒仟元整'],
    [yuan(100_500), '壹拾万零伍佰元整'],
    [10_700_053, '壹拾万柒仟元伍角叁分'],
    [yuan(110_000), '壹拾壹万元整'],
    [yuan(1_000_001), '壹佰万零壹元整'],
    [yuan(1_010_000), '壹佰零壹万元整'],
    [1_000_000_009, '壹仟万元零玖分'],
    [yuan(100_000_000), '壹亿元整'],
    [yuan(100_010_000), '壹亿零壹万元整'],
    [yuan(100_000_001), '壹亿零壹元整'],
    [yuan(110_000_000), '壹亿壹仟万元整'],
    [yuan(1_005_000_000), '壹拾亿零伍佰万元整'],
    [yuan(1_000_000_000_000), '壹万亿元整'],
    [yuan(1_000_100_000_000), '壹万零壹亿元整'],
    [yuan(1_000_000_010_000), '壹万亿零壹万元整'],
    [yuan(9_999_999_999_999) + 99, '玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    [Number.MAX_SAFE_INTEGER, '玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分'],
  ])('%i fen → %s', (fen, words) => {
    expect(amountInWords(fen)).toBe(words);
  });

  test('never two 零 in a row, never a trailing 零, 整 only after 元', () => {
    for (let fen = 1; fen < 2_000_000; fen += 997) {
      const w = amountInWords(fen);
      expect(w).not.toMatch(/零零|零[元万亿整]|零$/);
      expect(w.endsWith('整')).toBe(fen % 100 === 0);
    }
  });

  test('reads back to the same amount, over small and very large amounts', () => {
    let x = 12_345;
    for (let i = 0; i < 5_000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      // Amounts from 1 fen to about 90万亿 yuan, every magnitude equally often.
      const fen = Math.min(
        Number.MAX_SAFE_INTEGER,
        Math.floor((x / 2_147_483_648) * 10 ** (i % 16)) + (i % 100),
      );
      expect(readWords(amountInWords(fen)), `${fen}`).toBe(fen);
    }
  });

  test('a negative, fractional or unsafe amount throws instead of printing a wrong sum', () => {
    for (const bad of [
      -1,
      -100,
      0.5,
      100.01,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.MAX_SAFE_INTEGER + 1,
    ])
      expect(() => amountInWords(bad)).toThrow(RangeError);
  });
});

describe('amountFigure and legalAmount', () => {
  test('the figure has thousands separators and always two decimals', () => {
    expect(amountFigure(0)).toBe('0.00');
    expect(amountFigure(1)).toBe('0.01');
    expect(amountFigure(10_050)).toBe('100.50');
    expect(amountFigure(1_200_000)).toBe('12,000.00');
    expect(amountFigure(100_000_000_09)).toBe('100,000,000.09');
    expect(amountFigure(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
    expect(() => amountFigure(-1)).toThrow(RangeError);
    expect(() => amountFigure(1.5)).toThrow(RangeError);
  });
  test('a contract amount reads 人民币, figure, 元 and the capitals, without ¥', () => {
    expect(legalAmount(1_200_000)).toBe('人民币 12,000.00 元（大写：壹万贰仟元整）');
    expect(legalAmount(0)).toBe('人民币 0.00 元（大写：零元整）');
    expect(legalAmount(10_050)).toBe('人民币 100.50 元（大写：壹佰元伍角）');
    expect(legalAmount(1_200_000)).not.toContain('¥');
  });
});
