import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { createFeedbackService, type FeedbackDeps } from './feedback.service.js';

const HOUR = 3600_000;

export interface FeedbackSeedInput {
  /** The feedback service's dependencies; the seed brings its own clock. */
  deps: Omit<FeedbackDeps, 'clock'>;
  now: Date;
  company: { id: string; name: string; adminUserId: string };
  regulatorUserId: string | null;
  /** Completed or closed orders of the demo company: who ordered, and the worker's account. */
  orders: { id: string; residentUserId: string; workerId: string | null; workerUserId: string | null }[];
  /** Told why a demo review or complaint was skipped (tests). */
  onSkip?: (e: unknown) => void;
}

const texts = [
  '阿姨做事很细心，厨房和卫生间打扫得特别干净。',
  '准时到达，态度也好，下次还会预约。',
  '整体不错，就是整理收纳方面还可以再用心一点。',
  '服务专业，老人很满意。',
];

const actor = (userId: string, roles: Actor['roles'], companyId?: string, name = ''): RequestContext => ({
  actor: {
    userId,
    sessionId: 'seed',
    name,
    phoneMasked: '',
    roles,
    memberships: companyId ? [{ orgId: companyId, orgName: name, orgType: 'company', role: 'admin' }] : [],
    regulatorDistrict: null,
  },
  requestId: 'seed-feedback',
  ip: null,
});

/**
 * Demo reviews and complaints through the real service on a clock the seed moves: reviews of completed orders
 * (both sides), a reported review waiting for moderation, complaints waiting for the company, escalated by the
 * SLA job, resolved, and upheld.
 */
export async function seedFeedback(input: FeedbackSeedInput) {
  let now = new Date(input.now.getTime());
  const svc = createFeedbackService({ ...input.deps, clock: () => now });
  const out = { reviews: 0, complaints: 0 };
  const co = actor(input.company.adminUserId, ['company_admin'], input.company.id, input.company.name);
  const orders = input.orders.filter((o) => o.workerId);
  for (const [i, o] of orders.slice(0, 4).entries()) {
    const r = await svc
      .createReview(actor(o.residentUserId, ['resident']), {
        orderId: o.id,
        ratings: {
          quality: 5 - (i % 2),
          punctuality: 5,
          attitude: 5 - (i === 2 ? 1 : 0),
          skill: 4 + (i % 2),
        },
        text: texts[i % texts.length]!,
      })
      .catch((e: unknown) => {
        input.onSkip?.(e);
        return null;
      });
    if (!r) continue;
    out.reviews++;
    if (i === 0) await svc.reply(co, r.id, '感谢您的认可，我们会继续努力！').catch(() => null);
    if (i === 2) await svc.report(co, r.id, '评价内容与实际服务不符').catch(() => null);
    if (o.workerUserId && i < 2)
      await svc
        .createReview(actor(o.workerUserId, ['worker']), {
          orderId: o.id,
          ratings: { respect: 5, payment: 5, communication: 4, environment: 5 },
          text: '雇主很尊重人，按时结算。',
        })
        .then(() => out.reviews++)
        .catch(() => null);
  }
  const complain = async (
    o: (typeof orders)[number],
    subject: 'worker' | 'company',
    category: string,
    text: string,
  ) =>
    svc
      .fileComplaint(actor(o.residentUserId, ['resident']), {
        orderId: o.id,
        subject,
        category,
        description: text,
      })
      .then((c) => {
        out.complaints++;
        return c;
      })
      .catch(() => null);
  const [a, b, c, d] = orders;
  // Unanswered for 30 hours: the SLA job escalates it to the regulator.
  if (a) {
    now = new Date(input.now.getTime() - 30 * HOUR);
    await complain(a, 'company', 'late_or_absent', '约定时间迟到一个多小时，未提前告知。');
    now = new Date(input.now.getTime());
    await svc.runDue({ actor: null, requestId: 'seed-feedback', ip: null });
  }
  // Answered and accepted.
  if (b) {
    const cmp = await complain(b, 'worker', 'service_quality', '窗户没有擦干净。');
    if (cmp) {
      await svc.act(co, cmp.id, 'respond', { reason: '已安排家政员免费返工。' }).catch(() => null);
      await svc.act(actor(b.residentUserId, ['resident']), cmp.id, 'accept', {}).catch(() => null);
    }
  }
  // Upheld by the regulator after escalation (no certificate action).
  if (c && input.regulatorUserId) {
    const cmp = await complain(c, 'worker', 'damage_or_theft', '打碎了一个花瓶且未告知。');
    if (cmp) {
      await svc.act(co, cmp.id, 'respond', { reason: '家政员否认。' }).catch(() => null);
      await svc
        .act(actor(c.residentUserId, ['resident']), cmp.id, 'refuse', { reason: '不接受' })
        .catch(() => null);
      const reg = actor(input.regulatorUserId, ['regulator']);
      await svc.act(reg, cmp.id, 'investigate', {}).catch(() => null);
      await svc
        .act(reg, cmp.id, 'uphold', { reason: '经调查属实，责令企业赔偿。', certificateAction: 'none' })
        .catch(() => null);
    }
  }
  // Fresh: waiting for the company, the SLA timer running.
  if (d) await complain(d, 'worker', 'attitude', '家政员态度不耐烦。');
  else if (a) await complain(a, 'worker', 'attitude', '家政员态度不耐烦。');
  return out;
}
