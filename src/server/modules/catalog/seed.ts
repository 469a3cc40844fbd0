import type { PriceUnit, ServiceCategory, ServiceMode } from '../../../shared/domain.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { guidePrice, serviceItem } from './catalog.tables.js';
import { shanghaiDate } from './price-rules.js';

interface Rnd {
  int(min: number, max: number): number;
  chance(p: number): boolean;
}

/** Typical Guangzhou prices in 元 (2025 market surveys): [category, mode, unit, title, min, max, step]. */
const menu: [ServiceCategory, ServiceMode, PriceUnit, string, number, number, number][] = [
  ['hourly', 'hourly', 'hour', '钟点工（2小时起）', 40, 60, 5],
  ['cleaning', 'recurring', 'hour', '日常保洁（每周固定）', 40, 55, 5],
  ['deep_cleaning', 'hourly', 'visit', '开荒保洁（100㎡以内）', 500, 900, 50],
  ['cooking', 'recurring', 'hour', '家庭烹饪（上门做饭）', 45, 65, 5],
  ['cleaning', 'live_in', 'month', '住家保姆', 6000, 9000, 500],
  ['infant_care', 'live_in', 'month', '育婴员（住家）', 7000, 10000, 500],
  ['elder_care', 'live_in', 'month', '养老护理员（住家）', 6500, 9500, 500],
  ['elder_care', 'day_care', 'month', '老人日间照料', 4500, 6500, 500],
  ['patient_care', 'day_care', 'day', '医院陪护（24小时）', 250, 380, 10],
  ['appliance_cleaning', 'hourly', 'visit', '空调/油烟机清洗', 120, 260, 10],
  ['organizing', 'hourly', 'hour', '整理收纳', 80, 150, 10],
];

/** Guide ranges in 元 (city-wide), and two district overrides. */
const guides: [ServiceCategory, PriceUnit, number, number, string | null][] = [
  ['hourly', 'hour', 35, 70, null],
  ['cleaning', 'hour', 35, 65, null],
  ['cleaning', 'month', 5500, 9500, null],
  ['deep_cleaning', 'visit', 400, 1000, null],
  ['cooking', 'hour', 40, 70, null],
  ['infant_care', 'month', 6500, 11000, null],
  ['maternity', 'package26', 10000, 28000, null],
  ['elder_care', 'month', 4000, 10000, null],
  ['patient_care', 'day', 200, 400, null],
  ['appliance_cleaning', 'visit', 100, 300, null],
  ['organizing', 'hour', 60, 160, null],
  ['hourly', 'hour', 45, 80, '440106'], // 天河: higher wages
  ['hourly', 'hour', 30, 55, '440117'], // 从化: lower wages
];

/**
 * Demo price lists: each company publishes most of the menu at a random price in the typical range (about one
 * item in twelve deliberately outside the guide, so flags show), 月嫂 packages by stars (12,000–25,000 元), and
 * the regulator's guide prices. Inserted directly (the seed writes no audit rows); returns counts.
 */
export async function seedCatalog(
  db: Db,
  input: { companyIds: string[]; regulatorUserId: string | null; random: Rnd; now: Date },
): Promise<{ items: number; guides: number }> {
  const { random, now } = input;
  const items: (typeof serviceItem.$inferInsert)[] = [];
  const push = (
    companyId: string,
    v: Omit<typeof serviceItem.$inferInsert, 'id' | 'lineageId' | 'version' | 'companyId'>,
  ) => {
    const id = newId('svi');
    items.push({ id, lineageId: id, version: 1, companyId, createdAt: now, updatedAt: now, ...v });
  };
  for (const companyId of input.companyIds) {
    for (const [category, mode, unit, title, min, max, step] of menu) {
      if (random.chance(0.25)) continue;
      let yuan = min + step * random.int(0, Math.floor((max - min) / step));
      if (random.chance(1 / 12)) yuan = random.chance(0.5) ? Math.round(min * 0.6) : Math.round(max * 1.3);
      push(companyId, { category, mode, unit, title, priceFen: yuan * 100 });
    }
    if (random.chance(0.8)) {
      for (const [stars, lo, hi] of [
        [3, 12000, 15000],
        [4, 15000, 19000],
        [5, 19000, 25000],
      ] as const) {
        push(companyId, {
          category: 'maternity',
          mode: 'maternity',
          unit: 'package26',
          title: `${stars}星月嫂（26天）`,
          priceFen: lo * 100,
          priceMaxFen: hi * 100,
        });
      }
    }
  }
  for (let i = 0; i < items.length; i += 500) await db.insert(serviceItem).values(items.slice(i, i + 500));
  const from = shanghaiDate(new Date(now.getTime() - 30 * 86_400_000));
  await db.insert(guidePrice).values(
    guides.map(([category, unit, min, max, district]) => ({
      id: newId('gdp'),
      category,
      unit,
      district,
      minFen: min * 100,
      maxFen: max * 100,
      effectiveFrom: from,
      note: '2026年家政服务价格指导',
      publishedBy: input.regulatorUserId,
      createdAt: now,
      updatedAt: now,
    })),
  );
  return { items: items.length, guides: guides.length };
}
