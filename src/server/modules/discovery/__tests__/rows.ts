import type { Db } from '../../../platform/db/client.js';
import { creditRankOf } from '../discovery.service.js';
import { workerSearch } from '../discovery.tables.js';
import { scaledPoint } from '../geo.js';
import { indexTokens, normalise } from '../tokens.js';

const intros = [
  '持证月嫂，擅长新生儿护理和产妇月子餐',
  '做事细心，擅长日常保洁和整理收纳',
  '育婴员，照顾0-3岁婴幼儿经验丰富',
  '养老护理，耐心照顾失能老人',
  '钟点工，保洁做饭都可以',
  '擅长粤菜烹饪，会做广式汤水',
];

/** A deterministic projection row for search tests (search reads only this table). */
export function projectionRow(i: number, over: Partial<typeof workerSearch.$inferInsert> = {}) {
  const lon = 113.2 + ((i * 37) % 100) / 250;
  const lat = 23.0 + ((i * 53) % 100) / 250;
  const intro = intros[i % intros.length]!;
  const text = normalise(intro);
  const color = i % 10 === 9 ? 'yellow' : i % 10 === 8 ? 'red' : 'green';
  const companyGrade = ['5A', '3A', null][i % 3] ?? null;
  return {
    workerId: `wk_test${String(i).padStart(6, '0')}`,
    maskedName: '王**',
    age: 25 + (i % 30),
    sex: i % 5 === 0 ? 'M' : 'F',
    categories: [['maternity', 'cleaning', 'infant_care', 'elder_care', 'hourly', 'cooking'][i % 6]!],
    skillLevel: ['level5', 'level4', 'level3', 'level2'][i % 4]!,
    maternityStars: i % 6 === 0 ? (i % 5) + 1 : null,
    yearsExperience: i % 20,
    nativePlace: ['广东梅州', '湖南衡阳', '广西玉林', '四川南充'][i % 4]!,
    languages: i % 3 === 0 ? ['普通话', '粤语'] : ['普通话'],
    district: ['440106', '440104', '440105', '440111'][i % 4]!,
    lon,
    lat,
    location: scaledPoint(lon, lat),
    color,
    certificateNumber: null,
    companyId: `org_test${i % 3}`,
    companyName: `测试家政${i % 3}`,
    companyGrade,
    creditRank: creditRankOf(companyGrade, color),
    priceFrom: {},
    minPriceFen: i % 7 === 0 ? null : 4000 + (i % 13) * 500,
    intro,
    skills: [],
    searchTokens: indexTokens(text),
    searchText: text,
    ...over,
  } satisfies typeof workerSearch.$inferInsert;
}

export async function insertRows(db: Db, rows: (typeof workerSearch.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(workerSearch).values(rows.slice(i, i + 1000));
}
