import { districts } from '../../../shared/districts.js';
import { systemContext } from '../../platform/http/context.js';
import type { InsightsService } from './insights.service.js';
import { addMonths, shanghaiDay, shanghaiMonth } from './period.js';
import { type WagePosition, wagePositions } from './wage-positions.js';

export interface InsightsSeedInput {
  insights: InsightsService;
  random: { int(min: number, max: number): number; next(): number };
  now: Date;
}

/**
 * Yuan ranges of Guangzhou's 2024–2025 household-service wage surveys (保姆, 月嫂 per 26-day package, 育婴员,
 * 养老护理员 per month; 钟点工 per hour), used to make the demo's imported survey rows plausible.
 */
const demoRanges: Record<WagePosition, [number, number]> = {
  nanny: [5_800, 8_800],
  yuesao: [11_000, 22_000],
  yuyingyuan: [6_500, 11_000],
  elder_carer: [5_200, 8_000],
  hourly: [38, 65],
};

/**
 * The demo's insights: rollups refreshed over the seeded city, one published wage survey edition (samples from the
 * seeded contracts and orders plus an imported demo survey table, with some districts left thin so the public page
 * shows hidden cells), and last month's stored report. Runs last: it reads what every other step made.
 */
export async function seedInsights(input: InsightsSeedInput) {
  const { insights, random, now } = input;
  const ctx = systemContext('seed');
  await insights.refresh(ctx, 'seed');
  const today = shanghaiDay(now);
  const yearAgo = shanghaiDay(new Date(now.getTime() - 364 * 86_400_000));
  const edition = await insights.createEdition(ctx, {
    title: `广州市家政服务从业人员工资价位（${today.slice(0, 4)} 年度）`,
    periodFrom: yearAgo,
    periodTo: today,
  });
  const lines = ['岗位,区域,金额(元)'];
  for (const p of wagePositions) {
    const [lo, hi] = demoRanges[p.code];
    for (const d of districts) {
      // Central districts answer the survey well; outer ones thinly, so their cells stay under the threshold.
      const n = ['440104', '440106', '440105', '440111', '440113'].includes(d.code)
        ? random.int(6, 14)
        : random.int(1, 4);
      for (let i = 0; i < n; i++) {
        const v = lo + (hi - lo) * ((random.next() + random.next()) / 2);
        lines.push(
          `${p.zh},${d.name},${p.unit === 'hour' ? v.toFixed(0) : (Math.round(v / 100) * 100).toFixed(0)}`,
        );
      }
    }
  }
  await insights.importSamples(ctx, edition.id, {
    data: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'),
    filename: 'demo-survey.csv',
  });
  await insights.changeEdition(ctx, edition.id, 'publish');
  const report = await insights.generateReport(ctx, addMonths(shanghaiMonth(now), -1), 'seed');
  return { editionId: edition.id, samples: lines.length - 1, reportMonth: report.month };
}
