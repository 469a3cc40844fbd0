import { createHash } from 'node:crypto';

/**
 * What the demo seed (workers.seed.ts) and the benchmark generator (workers.generate.ts) both draw from: plausible
 * names and native places, and one stand-in scan that bulk-created documents point at.
 */

/** A 1×1 PNG stored once; bulk-created documents reference it instead of carrying their own bytes. */
const scanBytes = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const sampleScan = {
  key: 'workers/sample/scan.png',
  bytes: scanBytes,
  mime: 'image/png',
  sha256: createHash('sha256').update(scanBytes).digest('hex'),
} as const;

export const sampleSurnames = [
  '陈',
  '李',
  '黄',
  '张',
  '梁',
  '刘',
  '林',
  '何',
  '王',
  '吴',
  '罗',
  '郑',
  '周',
  '谢',
  '欧阳',
];
export const sampleGivenNames = [
  '秀芳',
  '丽娟',
  '美玲',
  '桂英',
  '淑珍',
  '春梅',
  '玉兰',
  '小燕',
  '海燕',
  '翠华',
  '建华',
  '志红',
  '金凤',
  '素梅',
];
export const sampleNativePlaces = [
  '广东梅州',
  '广东湛江',
  '湖南衡阳',
  '江西赣州',
  '广西玉林',
  '四川南充',
  '广东茂名',
  '湖北荆州',
];

/** YYYY-MM-DD shifted by whole days (UTC arithmetic on a calendar date). */
export const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
