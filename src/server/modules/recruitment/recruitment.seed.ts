import { makeIdCard } from '../../../shared/validators/index.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { RecruitmentService } from './recruitment.service.js';
import { shanghaiDay } from './recruitment.service.js';

const DAY = 86_400_000;

export interface RecruitmentSeedInput {
  /** A recruitment service and a workers service running on the seed's movable clock. */
  recruitment: RecruitmentService;
  workers: {
    registerSelf(ctx: RequestContext, input: SeekerRegistration): Promise<{ id: string }>;
    endEmployment(
      ctx: RequestContext,
      companyId: string,
      workerId: string,
      input: { reason: string },
    ): Promise<unknown>;
  };
  createAccount(input: {
    phone: string;
    password: string;
    name: string;
    roles: { role: 'worker' }[];
  }): Promise<string>;
  /** Moves the seed clock. */
  setNow(d: Date): void;
  password: string;
  companies: { id: string; recruiterUserId: string }[];
  regulatorUserId: string;
  trainingClassId: string | null;
  /** The demo worker (employed already): applies elsewhere and is being interviewed. */
  demoWorker: { id: string; userId: string } | null;
  now: Date;
}

interface SeekerRegistration {
  name: string;
  idNumber: string;
  district: string;
  categories: ('maternity' | 'infant_care' | 'cleaning' | 'elder_care' | 'cooking' | 'hourly')[];
  skillLevel: 'level5' | 'level4' | 'level3';
  yearsExperience: number;
  languages: string[];
  intro: string;
  consent: { version: string; accepted: true };
}

function ctxOf(userId: string, roles: Actor['roles'], companyId?: string): RequestContext {
  return {
    actor: {
      userId,
      sessionId: 'seed',
      name: 'seed',
      phoneMasked: '',
      roles,
      memberships: companyId ? [{ orgId: companyId, orgName: '', orgType: 'company', role: 'admin' }] : [],
      regulatorDistrict: null,
    },
    requestId: 'sys-seed-recruitment',
    ip: null,
  };
}

/**
 * Demo recruitment through the real service on a clock it moves: posts from two companies, applications in every
 * state, a running job fair with check-ins, and a 毕节 订单班 that arrived about six months ago with trainees placed
 * (one left before three months), so every page and report has history to show.
 */
export async function seedRecruitment(input: RecruitmentSeedInput, consentVersion: string) {
  const { recruitment: svc } = input;
  const at = (daysAgo: number) => {
    const d = new Date(input.now.getTime() - daysAgo * DAY);
    input.setNow(d);
    return d;
  };
  const regulator = ctxOf(input.regulatorUserId, ['regulator']);
  const [coA, coB] = input.companies;
  if (!coA || !coB) return { posts: 0, applications: 0 };
  const companyA = ctxOf(coA.recruiterUserId, ['company_admin'], coA.id);
  const companyB = ctxOf(coB.recruiterUserId, ['company_admin'], coB.id);

  // Job seekers: six trainees from 毕节 (七星关区 520502) and six local workers, each with an account.
  const seekers: { id: string; ctx: RequestContext }[] = [];
  const names = [
    '杨秀英',
    '龙春梅',
    '罗玉兰',
    '王桂芬',
    '陈小燕',
    '吴明霞',
    '李丽娟',
    '黄美华',
    '何翠萍',
    '梁凤英',
    '谢雪梅',
    '邓玉珍',
  ];
  at(200);
  for (let i = 0; i < names.length; i++) {
    const trainee = i < 6;
    const phone = `1390000${String(2100 + i)}`;
    const userId = await input.createAccount({
      phone,
      password: input.password,
      name: names[i]!,
      roles: [{ role: 'worker' }],
    });
    const ctx = ctxOf(userId, ['worker']);
    const birth = `${1978 + i}-0${(i % 9) + 1}-1${i % 9}`;
    const w = await input.workers.registerSelf(ctx, {
      name: names[i]!,
      idNumber: makeIdCard(trainee ? '520502' : '440106', birth, 400 + i * 2),
      district: trainee ? '440106' : ['440105', '440106', '440104', '440111', '440113', '440106'][i - 6]!,
      categories: trainee
        ? ['infant_care', 'cleaning', 'cooking']
        : i % 2
          ? ['maternity', 'infant_care']
          : ['cleaning', 'elder_care'],
      skillLevel: trainee ? 'level5' : i % 3 ? 'level4' : 'level3',
      yearsExperience: trainee ? 1 : 3 + i,
      languages: ['普通话'],
      intro: trainee ? '毕节订单班学员，接受过育婴和家务培训。' : '做事细心，有多年家政经验。',
      consent: { version: consentVersion, accepted: true },
    });
    seekers.push({ id: w.id, ctx });
  }

  // The 毕节 cohort: opened 200 days ago, arrived 180 days ago.
  const cohort = await svc.createCohort(regulator, {
    name: '毕节家政订单班（2026年第1期）',
    sourceRegionCode: '520500',
    sourceRegionName: '贵州省毕节市',
    trainingClassId: input.trainingClassId,
    plannedArrivalOn: shanghaiDay(new Date(input.now.getTime() - 180 * DAY)),
    // Placed in 天河, so the 天河 district regulator sees it too.
    destinationDistrict: '440106',
  });
  await svc.addTrainees(
    regulator,
    cohort.id,
    seekers.slice(0, 6).map((s) => s.id),
  );
  at(180);
  await svc.markArrived(regulator, cohort.id, shanghaiDay(new Date(input.now.getTime() - 180 * DAY)));

  const closesOn = shanghaiDay(new Date(input.now.getTime() + 30 * DAY));
  const base = {
    certificateRequired: false,
    minExperienceYears: 0,
    minAge: 18,
    maxAge: 55,
    closesOn,
    minLevel: null,
  } as const;
  const traineePost = await svc.createPost(companyA, coA.id, {
    ...base,
    title: '住家育婴员（订单班定向）',
    category: 'infant_care',
    mode: 'live_in',
    district: '440106',
    location: '天河区天河北路',
    salaryMinFen: 550_000,
    salaryMaxFen: 700_000,
    benefits: ['accident_insurance', 'housing', 'meals', 'training'],
    description: '照顾 0–3 岁婴幼儿，协助家务；公司提供岗前带教和住宿，签劳动合同。',
    headcount: 6,
  });
  // Trainees apply two days after arrival; five are offered, four accept, one declines; one is still new.
  at(178);
  const traineeApps = [];
  for (const s of seekers.slice(0, 6))
    traineeApps.push(await svc.apply(s.ctx, traineePost.id, { coverNote: '毕节订单班学员' }));
  at(175);
  for (const a of traineeApps.slice(0, 5)) await svc.act(companyA, a.id, 'shortlist', {});
  at(172);
  for (const a of traineeApps.slice(0, 5)) await svc.act(companyA, a.id, 'offer', {});
  at(170);
  for (let i = 0; i < 4; i++) await svc.act(seekers[i]!.ctx, traineeApps[i]!.id, 'accept', {});
  await svc.act(seekers[4]!.ctx, traineeApps[4]!.id, 'decline', {});
  // One trainee leaves after seven weeks: not retained at three months.
  at(120);
  await input.workers.endEmployment(companyA, coA.id, seekers[3]!.id, { reason: '回老家照顾家人' });

  // Local posts and applications across the last months.
  at(90);
  const maternity = await svc.createPost(companyB, coB.id, {
    ...base,
    title: '金牌月嫂（26天一单）',
    category: 'maternity',
    mode: 'live_in',
    district: '440105',
    location: '海珠区江南西',
    salaryMinFen: 1_200_000,
    salaryMaxFen: 1_800_000,
    minLevel: 'level4',
    minExperienceYears: 1,
    minAge: 22,
    maxAge: 60,
    benefits: ['accident_insurance', 'meals'],
    description: '照顾产妇和新生儿，需有母婴护理经验，公司提供持续培训。',
    headcount: 3,
  });
  const hourly = await svc.createPost(companyA, coA.id, {
    ...base,
    title: '钟点保洁（越秀、天河就近派单）',
    category: 'cleaning',
    mode: 'hourly',
    district: '440104',
    location: '越秀区东山口',
    salaryMinFen: 3_000,
    salaryMaxFen: 4_500,
    benefits: ['accident_insurance'],
    description: '日常保洁和整理收纳，按单结算，时间灵活。',
    headcount: 5,
  });
  const elder = await svc.createPost(companyB, coB.id, {
    ...base,
    title: '养老护理员（白班）',
    category: 'elder_care',
    mode: 'day',
    district: '440111',
    location: '白云区三元里',
    salaryMinFen: 500_000,
    salaryMaxFen: 650_000,
    benefits: ['social_insurance', 'accident_insurance', 'meals'],
    description: '照顾社区居家老人起居和陪同就医，缴纳社保。',
    headcount: 2,
  });
  const local = seekers.slice(6);
  const appsOf = async (i: number, postId: string, daysAgo: number) => {
    at(daysAgo);
    return svc.apply(local[i]!.ctx, postId, { coverNote: '希望能长期做' });
  };
  // hired (60 days ago)
  const h = await appsOf(1, maternity.id, 80);
  at(75);
  await svc.act(companyB, h.id, 'shortlist', {});
  at(70);
  await svc.act(companyB, h.id, 'offer', {});
  at(66);
  await svc.act(local[1]!.ctx, h.id, 'accept', {});
  // rejected, withdrawn
  const r = await appsOf(0, elder.id, 50);
  at(48);
  await svc.act(companyB, r.id, 'reject', { reason: '暂无养老护理经验，建议先参加培训' });
  const wd = await appsOf(2, hourly.id, 40);
  at(35);
  await svc.act(local[2]!.ctx, wd.id, 'withdraw', {});
  // offer waiting, shortlisted, new
  const o = await appsOf(3, maternity.id, 20);
  at(15);
  await svc.act(companyB, o.id, 'shortlist', {});
  at(10);
  await svc.act(companyB, o.id, 'offer', {});
  const s = await appsOf(4, elder.id, 8);
  at(6);
  await svc.act(companyB, s.id, 'shortlist', {});
  await appsOf(5, hourly.id, 2);
  await appsOf(0, hourly.id, 1);

  // A fair running now (started yesterday, three days), both companies in it, registrations and check-ins.
  at(10);
  const fair = await svc.createFair(regulator, {
    title: '广州市家政服务专场招聘会（天河站）',
    format: 'venue',
    venue: '天河区人力资源市场一楼大厅（天河路 621 号）',
    district: '440106',
    startsAt: new Date(input.now.getTime() - DAY).toISOString(),
    endsAt: new Date(input.now.getTime() + 2 * DAY).toISOString(),
  });
  await svc.joinFair(companyA, fair.id, coA.id);
  await svc.joinFair(companyB, fair.id, coB.id);
  const fairPost = await svc.createPost(companyA, coA.id, {
    ...base,
    title: '招聘会专场：住家保姆',
    category: 'cleaning',
    mode: 'live_in',
    district: '440106',
    location: '天河区体育西路',
    salaryMinFen: 600_000,
    salaryMaxFen: 750_000,
    benefits: ['accident_insurance', 'housing', 'meals'],
    description: '做饭、保洁、接送孩子，签劳动合同，月休四天。',
    headcount: 4,
    fairId: fair.id,
  });
  for (const k of [0, 2, 4, 5]) await svc.registerForFair(local[k]!.ctx, fair.id);
  input.setNow(input.now);
  const { code } = await svc.fairCheckin(regulator, fair.id);
  for (const k of [0, 2]) await svc.checkIn(local[k]!.ctx, fair.id, code);
  await svc.apply(local[2]!.ctx, fairPost.id, { coverNote: '招聘会现场投递' });
  // Two fair registrants agree to be invited to complete their registration (当家政 contact list).
  for (const k of [4, 5]) await svc.setContactConsent(local[k]!.ctx, true);

  // The demo worker (employed at another company) is being interviewed for the maternity post.
  let demoApplication: string | null = null;
  if (input.demoWorker) {
    const demoCtx = ctxOf(input.demoWorker.userId, ['worker']);
    if (!(await svc.getPost(demoCtx, maternity.id)).mine?.eligible)
      return { cohort: cohort.id, fair: fair.id, demoApplication };
    const d = await svc.apply(demoCtx, maternity.id, { coverNote: '有四星月嫂证，想换到海珠区' });
    await svc.act(companyB, d.id, 'shortlist', {});
    await svc.scheduleInterview(companyB, d.id, {
      scheduledAt: new Date(input.now.getTime() + 2 * DAY).toISOString(),
      durationMinutes: 30,
    });
    demoApplication = d.id;
  }
  return { cohort: cohort.id, fair: fair.id, posts: 5, seekers: seekers.length, demoApplication };
}
