import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import type { WorkersService } from '../workers/index.js';
import { drawPaper } from './draw.js';
import { gradePaper } from './grading.js';
import { maternityQuestions, preJobQuestions, type SeedQuestion } from './seed-questions.js';
import { formatTrainingNumber } from './training-number.js';
import {
  trainingAttempt,
  trainingCertificate,
  trainingCertificateSeq,
  trainingClass,
  trainingCourse,
  trainingEnrolment,
  trainingExam,
  trainingLesson,
  trainingLessonProgress,
  trainingQuestion,
  trainingQuestionBank,
  trainingSubsidyRate,
} from './training.tables.js';

export interface TrainingSeedInput {
  db: DbOrTx;
  workers: Pick<WorkersService, 'trustFacts'>;
  /** The institution that runs the demo courses (its staff is the demo training account). */
  institutionId: string;
  institutionUserId: string | null;
  regulatorUserId: string | null;
  /** Demo workers whose existing pre-job results get matching exam attempts and certificates. */
  workerIds: string[];
  now?: Date;
}

export interface TrainingSeedResult {
  preJobCourseId: string;
  preJobExamId: string;
  questionCount: number;
  classes: number;
  results: number;
}

const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Noon in Shanghai of a day. */
const atNoon = (iso: string) => new Date(`${iso}T12:00:00+08:00`);

const LESSONS: [string, string][] = [
  [
    '第一课 家政服务员职业道德与礼仪',
    '<h3>职业守则</h3><p>遵纪守法、诚实守信、尊老爱幼、爱岗敬业。</p><ul><li>严格保护雇主隐私，不打听、不传播家庭私事。</li><li>未经同意不使用雇主物品，损坏物品主动告知。</li><li>入户敲门问候，仪容整洁，使用礼貌用语。</li></ul>',
  ],
  [
    '第二课 法律常识与权益保护',
    '<h3>合同与权益</h3><p>上岗前签订书面服务合同，写明服务内容、时间、费用和双方权利义务。</p><ul><li>任何人不得扣押身份证。</li><li>遇到拖欠费用，通过家政企业、劳动监察或消费者协会依法解决。</li><li>个人信息受《个人信息保护法》保护。</li></ul>',
  ],
  [
    '第三课 居家安全与急救',
    '<h3>安全</h3><p>燃气用后关阀；燃气泄漏时不开关电器，开窗后到室外报警。电器着火先断电，不能用水浇。</p><h3>急救</h3><ul><li>急救电话 120。</li><li>烫伤用流动冷水冲洗 15–20 分钟，不挑破水疱。</li><li>心肺复苏按压频率 100–120 次/分。</li></ul>',
  ],
];

function questionRows(bankId: string, qs: SeedQuestion[], category: string, now: Date) {
  return qs.map(([type, topic, difficulty, stem, options, answer, explanation]) => ({
    id: newId('qst'),
    bankId,
    type,
    stem,
    options,
    answer,
    category,
    level: null,
    topic,
    difficulty,
    explanation,
    createdAt: now,
  }));
}

/**
 * Answers for a demo attempt: every question right except the first `wrong`, which get one option outside the key,
 * so no partial credit can turn them right (a "next option" could be a correct subset of a multiple-choice key,
 * worth half, and flip a planned fail into a pass).
 */
export function plannedAnswers(
  questions: { id: string; answer: number[]; options: unknown[] }[],
  wrong: number,
): Record<string, number[]> {
  const answers: Record<string, number[]> = {};
  questions.forEach((q, k) => {
    const outside = q.options.findIndex((_, idx) => !q.answer.includes(idx));
    answers[q.id] = k < wrong ? [outside] : q.answer;
  });
  return answers;
}

/**
 * The demo city's training: the institution's 岗前培训 course (three online lessons, two hours), a 母婴护理 skill
 * course with three classes, the regulator's platform bank (45 questions) and 岗前考试 (10 questions drawn by
 * topic and difficulty, 30 minutes, pass mark 80, three attempts, one hour between attempts), subsidy rates,
 * and exam attempts plus certificates matching the demo workers' existing pre-job results.
 */
export async function seedTraining(input: TrainingSeedInput): Promise<TrainingSeedResult> {
  const { db } = input;
  const now = input.now ?? new Date();
  const today = day(now);

  const preJobCourseId = newId('crs');
  const skillCourseId = newId('crs');
  await db.insert(trainingCourse).values([
    {
      id: preJobCourseId,
      orgId: input.institutionId,
      title: '家政服务员岗前培训',
      category: 'housework',
      kind: 'pre_job',
      skillLevel: null,
      requiredMinutes: 120,
      description:
        '上岗前必修：职业道德、法律常识、居家安全与急救、服务礼仪。学完三课并通过平台岗前考试即完成。',
      state: 'published',
      createdBy: input.institutionUserId,
      createdAt: now,
      updatedAt: now,
    },
    {
      id: skillCourseId,
      orgId: input.institutionId,
      title: '母婴护理（月嫂）技能提升班',
      category: 'maternal_infant',
      kind: 'skill',
      skillLevel: 'level4',
      requiredMinutes: 960,
      description: '新生儿护理、产妇护理、母乳喂养指导，线下实操为主（16 学时）。',
      state: 'published',
      createdBy: input.institutionUserId,
      createdAt: now,
      updatedAt: now,
    },
  ]);
  const lessonIds = LESSONS.map(() => newId('lsn'));
  await db.insert(trainingLesson).values([
    ...LESSONS.map(([title, html], i) => ({
      id: lessonIds[i]!,
      courseId: preJobCourseId,
      position: i + 1,
      title,
      kind: 'text',
      bodyHtml: html,
      minutes: 40,
      createdAt: now,
    })),
    {
      id: newId('lsn'),
      courseId: skillCourseId,
      position: 1,
      title: '开班须知与新生儿护理要点',
      kind: 'text',
      bodyHtml: '<p>线下课程请按时到场，在教室扫码签到。每天签到记 8 学时。</p>',
      minutes: 30,
      createdAt: now,
    },
  ]);

  const platformBank = newId('qbk');
  const institutionBank = newId('qbk');
  await db.insert(trainingQuestionBank).values([
    {
      id: platformBank,
      orgId: null,
      name: '岗前考试题库（平台）',
      createdBy: input.regulatorUserId,
      createdAt: now,
    },
    {
      id: institutionBank,
      orgId: input.institutionId,
      name: '母婴护理题库',
      createdBy: input.institutionUserId,
      createdAt: now,
    },
  ]);
  const preJobRows = questionRows(platformBank, preJobQuestions, 'housework', now);
  await db
    .insert(trainingQuestion)
    .values([...preJobRows, ...questionRows(institutionBank, maternityQuestions, 'maternal_infant', now)]);

  const rules = ['ethics', 'law', 'safety', 'first_aid', 'etiquette'].flatMap((topic) => [
    { topic, difficulty: 'easy', count: 1 },
    { topic, difficulty: 'medium', count: 1 },
  ]);
  const preJobExamId = newId('exm');
  await db.insert(trainingExam).values([
    {
      id: preJobExamId,
      orgId: null,
      courseId: null,
      bankId: platformBank,
      kind: 'pre_job',
      title: '家政服务员岗前考试',
      rules,
      timeLimitMinutes: 30,
      passScore: 80,
      maxAttempts: 3,
      cooldownMinutes: 60,
      state: 'published',
      createdBy: input.regulatorUserId,
      createdAt: now,
      updatedAt: now,
    },
    {
      id: newId('exm'),
      orgId: input.institutionId,
      courseId: skillCourseId,
      bankId: institutionBank,
      kind: 'course',
      title: '母婴护理结业考试',
      rules: [
        { topic: 'skills', difficulty: 'easy', count: 2 },
        { topic: 'skills', difficulty: 'medium', count: 2 },
      ],
      timeLimitMinutes: 20,
      passScore: 75,
      maxAttempts: 2,
      cooldownMinutes: 1440,
      state: 'published',
      createdBy: input.institutionUserId,
      createdAt: now,
      updatedAt: now,
    },
  ]);

  const classes = [
    {
      title: '母婴护理第 12 期（天河）',
      start: -1,
      venue: '广州市天河区天河路 385 号 3 楼 301 教室',
      lon: 113.3245,
      lat: 23.1318,
    },
    {
      title: '母婴护理第 13 期（越秀）',
      start: 10,
      venue: '广州市越秀区中山四路 218 号 培训楼 2 楼',
      lon: 113.2806,
      lat: 23.1291,
    },
    {
      title: '母婴护理第 11 期（海珠）',
      start: -40,
      venue: '广州市海珠区新港中路 397 号 实训室',
      lon: 113.3252,
      lat: 23.1006,
    },
  ];
  const classIds: string[] = [];
  for (const k of classes) {
    const id = newId('cls');
    classIds.push(id);
    await db.insert(trainingClass).values({
      id,
      courseId: skillCourseId,
      orgId: input.institutionId,
      title: k.title,
      startsOn: addDays(today, k.start),
      endsOn: addDays(today, k.start + 1),
      minutesPerDay: 480,
      venue: k.venue,
      lon: k.lon,
      lat: k.lat,
      capacity: 30,
      checkinToken: randomBytes(16).toString('base64url'),
      state: 'open',
      createdAt: now,
      updatedAt: now,
    });
  }

  await db.insert(trainingSubsidyRate).values([
    { courseKind: 'pre_job', amountFen: 30_000, updatedBy: input.regulatorUserId, updatedAt: now },
    { courseKind: 'skill', amountFen: 150_000, updatedBy: input.regulatorUserId, updatedAt: now },
    { courseKind: 'refresher', amountFen: 20_000, updatedBy: input.regulatorUserId, updatedAt: now },
  ]);

  // Results consistent with the workers' recorded pre-job results: a passed attempt (and the course certificate)
  // on the day they passed, a failed one for those who failed.
  const pool = preJobRows.map((q) => ({ id: q.id, topic: q.topic, difficulty: q.difficulty }));
  const byId = new Map(preJobRows.map((q) => [q.id, q]));
  let results = 0;
  let seq = 0;
  const perYear = new Map<number, number>();
  for (const [i, workerId] of input.workerIds.entries()) {
    const facts = await input.workers.trustFacts(workerId);
    if (!facts || facts.training.state === 'missing') continue;
    const passed = facts.training.state === 'passed';
    const examDay = facts.training.passedOn ?? addDays(today, -30 - (i % 60));
    const drawn = drawPaper(pool, rules, `seed-${workerId}`);
    if (!drawn.ok) continue;
    // Answer all correctly, leaving out `wrong` of them, so the grade is computed, not invented.
    const wrong = passed ? i % 3 : 3 + (i % 3);
    const answers = plannedAnswers(
      drawn.questionIds.map((qid) => byId.get(qid)!),
      wrong,
    );
    const grade = gradePaper(
      drawn.questionIds.map((qid) => ({ ...byId.get(qid)!, type: byId.get(qid)!.type })),
      answers,
      80,
    );
    const started = atNoon(examDay);
    const attemptId = newId('att');
    await db.insert(trainingAttempt).values({
      id: attemptId,
      examId: preJobExamId,
      workerId,
      seed: `seed-${workerId}`,
      questionIds: drawn.questionIds,
      answers,
      state: 'submitted',
      startedAt: started,
      deadline: new Date(started.getTime() + 30 * 60_000),
      submittedAt: new Date(started.getTime() + 18 * 60_000),
      score: grade.score,
      passed: grade.passed,
      breakdown: grade.breakdown,
      createdAt: started,
      updatedAt: started,
    });
    results++;
    if (!grade.passed) continue;
    await db.insert(trainingLessonProgress).values(
      lessonIds.map((lessonId) => ({
        workerId,
        lessonId,
        completedAt: new Date(started.getTime() - 86_400_000),
      })),
    );
    seq++;
    const year = Number(examDay.slice(0, 4));
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
    await db.insert(trainingCertificate).values({
      id: newId('tcr'),
      number: formatTrainingNumber(year, perYear.get(year)!),
      workerId,
      courseId: preJobCourseId,
      orgId: input.institutionId,
      attemptId,
      minutes: 120,
      score: grade.score,
      verifyToken: randomBytes(16).toString('base64url'),
      issuedAt: new Date(started.getTime() + 20 * 60_000),
    });
    if (seq <= 12)
      await db.insert(trainingEnrolment).values({ classId: classIds[seq % 3]!, workerId, enrolledAt: now });
  }
  for (const [year, last] of perYear) await db.insert(trainingCertificateSeq).values({ year, last });
  return {
    preJobCourseId,
    preJobExamId,
    questionCount: preJobRows.length,
    classes: classIds.length,
    results,
  };
}
