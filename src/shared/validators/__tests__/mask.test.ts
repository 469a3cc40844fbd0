import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdCard, maskMiddle, maskMobile, maskName } from '../mask.js';
import { makeIdCard } from '../id-card.js';

describe('maskMiddle', () => {
  it('keeps the ends and masks each character between', () => {
    expect(maskMiddle('6222021234567890123', 6, 4)).toBe('622202*********0123');
    expect(maskMiddle('abcdef', 1, 1)).toBe('a****f');
    expect(maskMiddle('abcdef', 0, 2)).toBe('****ef');
    expect(maskMiddle('abcdef', 2, 0)).toBe('ab****');
  });

  it('masks everything when nothing could be hidden otherwise', () => {
    expect(maskMiddle('abc', 2, 1)).toBe('***');
    expect(maskMiddle('ab', 3, 4)).toBe('**');
    expect(maskMiddle('', 1, 1)).toBe('');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(maskMiddle('𠮷野家𠮷', 1, 1)).toBe('𠮷**𠮷');
  });

  it.each([
    [-1, 1],
    [1, -1],
    [1.5, 1],
    [Number.NaN, 0],
  ])('refuses keep counts %d, %d', (start, end) => {
    expect(() => maskMiddle('abcdef', start, end)).toThrow(RangeError);
  });

  it('preserves the length and never shows a middle character (generated)', () => {
    for (let len = 0; len < 40; len++) {
      const s = Array.from({ length: len }, (_, i) => String.fromCharCode(0x4e00 + i)).join('');
      for (let a = 0; a < 5; a++) {
        for (let b = 0; b < 5; b++) {
          const out = Array.from(maskMiddle(s, a, b));
          expect(out).toHaveLength(len);
          const shown = out.filter((c) => c !== '*').length;
          expect(shown).toBe(len > a + b ? a + b : 0);
        }
      }
    }
  });
});

describe('maskIdCard', () => {
  it('keeps the first 4 and last 4 characters', () => {
    expect(maskIdCard('440106199003071234')).toBe('4401**********1234');
    expect(maskIdCard(' 11010519491231002x ')).toBe('1101**********002X');
  });

  it('hides the birth date of generated numbers', () => {
    for (let seq = 0; seq < 50; seq++) {
      const id = makeIdCard('440106', '1990-03-07', seq);
      const masked = maskIdCard(id);
      expect(masked).toMatch(/^4401\*{10}\d{3}[\dX]$/);
      expect(masked).not.toContain('1990');
    }
  });
});

describe('maskMobile', () => {
  it('keeps the first 3 and last 4 digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });

  it('normalises before masking', () => {
    expect(maskMobile('+86 138-1234-5678')).toBe('138****5678');
  });

  it('still masks what is not a mobile number', () => {
    expect(maskMobile('020-87654321')).toBe('020*****4321');
    expect(maskMobile('1234')).toBe('****');
  });
});

describe('maskName', () => {
  it.each([
    ['张芳', '张*'],
    ['张小芳', '张*芳'],
    ['欧阳小芳', '欧**芳'],
    ['阿依古丽·买买提', '阿******提'],
    ['王', '*'],
    ['', ''],
    [' 李四 ', '李*'],
    ['𠮷野', '𠮷*'],
    ['Li Na', 'L***a'],
  ])('masks %j as %j', (name, expected) => {
    expect(maskName(name)).toBe(expected);
  });
});

describe('maskAddress', () => {
  it.each([
    ['广东省广州市天河区珠江新城花城大道85号', '广东省广州市天河区****'],
    ['北京市朝阳区建国路88号SOHO现代城1号楼', '北京市朝阳区****'],
    ['上海市浦东新区世纪大道100号', '上海市浦东新区****'],
    ['湖北省荆州市沙市区北京路1号', '湖北省荆州市沙市区****'],
    ['江苏省苏州市昆山市玉山镇前进路2号', '江苏省苏州市昆山市****'],
    ['广东省东莞市长安镇新安社区', '广东省东莞市****'],
    ['新疆维吾尔自治区乌鲁木齐市天山区解放南路', '新疆维吾尔自治区乌鲁木齐市天山区****'],
    ['吉林省延边朝鲜族自治州延吉市光明街', '吉林省延边朝鲜族自治州延吉市****'],
    ['香港特别行政区中西区皇后大道中1号', '香港特别行政区中西区****'],
    ['天河区体育西路103号', '天河区****'],
    ['深圳南山区科技园', '深圳南山区****'],
    ['重庆市巫山县', '重庆市巫山县****'],
  ])('keeps the administrative prefix of %j', (address, expected) => {
    expect(maskAddress(address)).toBe(expected);
  });

  it.each([
    ['中山五路市场3楼', '中山五路****'],
    ['体育西路103号维多利广场A座', '体育西路****'],
    ['维多利广场A座写字楼', '维多利广场****'],
    ['朝阳路1号', '朝阳****'],
    ['12号', '****'],
    ['１２号楼', '****'],
  ])('falls back to at most 6 characters, at most half and no digit for %j', (address, expected) => {
    expect(maskAddress(address)).toBe(expected);
  });

  it('returns an empty string for an empty address', () => {
    expect(maskAddress('   ')).toBe('');
  });

  it('never shows a door number', () => {
    for (const a of ['广州市天河区林和西路9号', '广州天河区天河路208号', '天河路208号粤海天河城大厦4501']) {
      expect(maskAddress(a)).not.toMatch(/\d{3}/);
      expect(maskAddress(a).endsWith('****')).toBe(true);
    }
  });
});
