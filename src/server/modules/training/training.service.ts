import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import { maskName } from '../../../shared/validators/index.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { type FileStorage, prepareUpload } from '../../platform/storage/index.js';
import { sanitizeBody } from '../content/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { WorkerEfileQueries, WorkersService } from '../workers/index.js';
import {
  type AttemptState,
  attemptTransition,
  decideStart,
  type PastAttempt,
  SUBMIT_GRACE_MS,
} from './attempt-status.js';
import {
  type CourseAction,
  type CourseState,
  courseTransition,
  type ExamAction,
  type ExamState,
  examTransition,
} from './course-status.js';
import { labelIn, questionTopics, trainingCategories } from './categories.js';
import { type DrawRule, drawPaper } from './draw.js';
import { gradePaper } from './grading.js';
import { parseCsv, parseXlsx } from '../../platform/tabular/tabular.js';
import { parseQuestionRows, type QuestionInput } from './question-import.js';
import { qrSvg, renderTrainingCertificatePdf } from './training-certificate-pdf.js';
import { formatTrainingNumber } from './training-number.js';
import {
  trainingAttempt,
  trainingAttendance,
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
import type { PublicTrainingCertificate } from './verify-page.js';

export type CourseRow = typeof trainingCourse.$inferSelect;
export type ExamRow = typeof trainingExam.$inferSelect;
export type AttemptRow = typeof trainingAttempt.$inferSelect;
export type ClassRow = typeof trainingClass.$inferSelect;
type QuestionRow = typeof trainingQuestion.$inferSelect;

export interface TrainingDeps {
  db: Db;
  clock: () => Date;
  storage: FileStorage;
  workers: Pick<WorkersService, 'findWorkerIdByUser' | 'recordTrainingResult'>;
  workerFacts: Pick<WorkerEfileQueries, 'workerBasics'>;
  orgs: Pick<OrgsService, 'getOrganization' | 'publicOrganizations'>;
  publicUrl: string;
}

/** Lesson files: PDFs up to 20 MB, MP4/WebM videos up to 100 MB (the route's multipart limit). */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 100 * 1024 * 1024;
const VIDEO_MIMES = ['video/mp4', 'video/webm'] as const;
/** The owner scope of an institution's rows; `null` is the regulator's platform scope (the 岗前考试). */
type Scope = { orgId: string | null };

const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const hoursText = (minutes: number) => `${Math.round((minutes / 60) * 10) / 10} 学时`;

function isUniqueViolation(e: unknown): boolean {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
    if ((c as { code?: unknown }).code === '23505') return true;
  return false;
}

/**
 * Rich text of a lesson, through the content module's allow-list (no script, style, iframes, event handlers or
 * foreign images). Applied when a lesson is stored and again when it is served, so rows written another way
 * (seed, import, an older release) never reach the page's innerHTML unsanitised.
 */
export function sanitizeLessonHtml(html: string): string {
  return sanitizeBody(html).html;
}

export interface CourseInput {
  title: string;
  category: string;
  kind: 'pre_job' | 'skill' | 'refresher';
  skillLevel?: string | null | undefined;
  requiredMinutes: number;
  description?: string | null | undefined;
}

export type LessonInput =
  | { kind: 'text'; title: string; bodyHtml: string; minutes: number }
  | { kind: 'video_url'; title: string; url: string; minutes: number };

export interface ExamInput {
  title: string;
  bankId: string;
  courseId?: string | null | undefined;
  kind: 'pre_job' | 'course';
  rules: DrawRule[];
  timeLimitMinutes: number;
  passScore: number;
  maxAttempts: number;
  cooldownMinutes: number;
}

export interface ClassInput {
  courseId: string;
  title: string;
  startsOn: string;
  endsOn: string;
  minutesPerDay: number;
  venue: string;
  lon?: number | null | undefined;
  lat?: number | null | undefined;
  capacity: number;
}

/** Courses, lessons, question banks and imports, exams and attempts, classes and check-in, certificates, subsidies. */
export function createTrainingService(deps: TrainingDeps) {
  const { db, clock, storage, workers, workerFacts, orgs } = deps;

  // Who -------------------------------------------------------------------------------------------------------

  /** The scope a staff member acts in: their training institution, else (for a regulator) the platform. */
  function scopeOf(ctx: RequestContext): Scope {
    const a = ctx.actor!;
    const mine = orgIdsOf(a, 'training');
    if (mine[0]) return { orgId: mine[0] };
    if (hasRole(a, 'regulator')) return { orgId: null };
    throw new AppError('FORBIDDEN');
  }

  function institutionOf(ctx: RequestContext): string {
    const s = scopeOf(ctx);
    if (!s.orgId)
      throw new AppError('FORBIDDEN', { en: 'Only a training institution manages courses and classes' });
    return s.orgId;
  }

  async function owns(ctx: RequestContext, orgId: string | null, objectType: string, objectId: string) {
    const s = scopeOf(ctx);
    if (s.orgId === orgId) return;
    await db.transaction((tx) =>
      appendAudit(tx, ctx, {
        action: `training.${objectType}_denied`,
        objectType,
        objectId,
        outcome: 'denied',
        detail: { reason: 'not_owner' },
      }),
    );
    throw new AppError('TRAINING_NOT_OWNER');
  }

  async function workerIdOf(ctx: RequestContext): Promise<string> {
    const id = await workers.findWorkerIdByUser(ctx.actor!.userId);
    if (!id)
      throw new AppError('NOT_FOUND', { zh: '尚未建立服务人员档案', en: 'You have no worker record yet' });
    return id;
  }

  async function courseById(id: string, q: DbOrTx = db): Promise<CourseRow> {
    const [c] = await q.select().from(trainingCourse).where(eq(trainingCourse.id, id));
    if (!c) throw new AppError('NOT_FOUND');
    return c;
  }
  async function examById(id: string, q: DbOrTx = db): Promise<ExamRow> {
    const [e] = await q.select().from(trainingExam).where(eq(trainingExam.id, id));
    if (!e) throw new AppError('NOT_FOUND');
    return e;
  }
  async function bankById(id: string) {
    const [b] = await db.select().from(trainingQuestionBank).where(eq(trainingQuestionBank.id, id));
    if (!b) throw new AppError('NOT_FOUND');
    return b;
  }
  async function classById(id: string, q: DbOrTx = db): Promise<ClassRow> {
    const [c] = await q.select().from(trainingClass).where(eq(trainingClass.id, id));
    if (!c) throw new AppError('NOT_FOUND');
    return c;
  }

  const courseView = (c: CourseRow, lessonCount: number) => ({
    id: c.id,
    orgId: c.orgId,
    title: c.title,
    category: c.category,
    categoryLabel: labelIn(trainingCategories, c.category),
    kind: c.kind as 'pre_job' | 'skill' | 'refresher',
    skillLevel: c.skillLevel,
    requiredMinutes: c.requiredMinutes,
    description: c.description,
    state: c.state as CourseState,
    lessonCount,
    createdAt: c.createdAt.toISOString(),
  });

  const lessonView = (l: typeof trainingLesson.$inferSelect) => ({
    id: l.id,
    position: l.position,
    title: l.title,
    kind: l.kind as 'text' | 'pdf' | 'video_file' | 'video_url',
    bodyHtml: l.bodyHtml === null ? null : sanitizeLessonHtml(l.bodyHtml),
    url: l.url,
    fileUrl: l.fileKey ? `/api/v1/training/lessons/${l.id}/file` : null,
    minutes: l.minutes,
  });

  const examView = (e: ExamRow) => ({
    id: e.id,
    orgId: e.orgId,
    courseId: e.courseId,
    bankId: e.bankId,
    kind: e.kind as 'pre_job' | 'course',
    title: e.title,
    rules: e.rules,
    questionCount: e.rules.reduce((n, r) => n + r.count, 0),
    timeLimitMinutes: e.timeLimitMinutes,
    passScore: e.passScore,
    maxAttempts: e.maxAttempts,
    cooldownMinutes: e.cooldownMinutes,
    state: e.state as ExamState,
  });

  async function lessonCounts(courseIds: string[]) {
    if (!courseIds.length) return new Map<string, number>();
    const rows = await db
      .select({ courseId: trainingLesson.courseId, n: sql<number>`count(*)::int` })
      .from(trainingLesson)
      .where(inArray(trainingLesson.courseId, courseIds))
      .groupBy(trainingLesson.courseId);
    return new Map(rows.map((r) => [r.courseId, r.n]));
  }

  // Attempts: closing and grading ------------------------------------------------------------------------------

  async function questionsOf(ids: string[], q: DbOrTx = db): Promise<QuestionRow[]> {
    if (!ids.length) return [];
    const rows = await q.select().from(trainingQuestion).where(inArray(trainingQuestion.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!).filter(Boolean);
  }

  /** Closes an attempt (submitted or expired), grades it and, on completion, issues a certificate. In `tx`. */
  async function closeAttempt(
    tx: DbOrTx,
    ctx: RequestContext,
    a: AttemptRow,
    to: 'submitted' | 'expired',
    answers: Record<string, number[]>,
    now: Date,
  ) {
    const exam = await examById(a.examId, tx);
    const qs = await questionsOf(a.questionIds, tx);
    const grade = gradePaper(
      qs.map((q) => ({
        id: q.id,
        type: q.type as 'single',
        topic: q.topic,
        options: q.options,
        answer: q.answer,
      })),
      answers,
      exam.passScore,
    );
    // The state guard makes a racing second close a no-op instead of a double grade.
    const updated = await tx
      .update(trainingAttempt)
      .set({
        state: to,
        answers,
        submittedAt: to === 'submitted' ? now : null,
        score: grade.score,
        passed: grade.passed,
        breakdown: grade.breakdown,
        updatedAt: now,
      })
      .where(and(eq(trainingAttempt.id, a.id), eq(trainingAttempt.state, 'open')))
      .returning({ id: trainingAttempt.id });
    if (!updated.length) throw new AppError('TRAINING_ATTEMPT_CLOSED');
    await appendAudit(
      tx,
      ctx,
      {
        action: `training.attempt_${to}`,
        objectType: 'training_attempt',
        objectId: a.id,
        detail: { examId: exam.id, score: grade.score, passed: grade.passed },
      },
      now,
    );
    if (grade.passed) await settle(tx, ctx, a.workerId, now);
  }

  /** Closes the worker's open attempts whose time ran out (graded on the answers saved before the deadline). */
  async function expireOverdue(workerId: string, examId: string | null) {
    const now = clock();
    const overdue = await db
      .select()
      .from(trainingAttempt)
      .where(
        and(
          eq(trainingAttempt.workerId, workerId),
          eq(trainingAttempt.state, 'open'),
          lt(trainingAttempt.deadline, new Date(now.getTime() - SUBMIT_GRACE_MS)),
          examId ? eq(trainingAttempt.examId, examId) : undefined,
        ),
      );
    for (const a of overdue) {
      await db.transaction(async (tx) => {
        try {
          await closeAttempt(
            tx,
            { actor: null, requestId: 'sys-training-expire', ip: null },
            a,
            'expired',
            a.answers,
            now,
          );
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'TRAINING_ATTEMPT_CLOSED')) throw e;
        }
      });
    }
  }

  // Completion: hours + exam → training certificate; a pre-job course hands off to the certificate's check -----

  async function minutesFor(q: DbOrTx, workerId: string, courseId: string): Promise<number> {
    const [online] = await q
      .select({ m: sql<number>`coalesce(sum(${trainingLesson.minutes}), 0)::int` })
      .from(trainingLessonProgress)
      .innerJoin(trainingLesson, eq(trainingLesson.id, trainingLessonProgress.lessonId))
      .where(and(eq(trainingLessonProgress.workerId, workerId), eq(trainingLesson.courseId, courseId)));
    const [offline] = await q
      .select({ m: sql<number>`coalesce(sum(${trainingAttendance.minutes}), 0)::int` })
      .from(trainingAttendance)
      .innerJoin(trainingClass, eq(trainingClass.id, trainingAttendance.classId))
      .where(and(eq(trainingAttendance.workerId, workerId), eq(trainingClass.courseId, courseId)));
    return (online?.m ?? 0) + (offline?.m ?? 0);
  }

  /** The best passed attempt that counts for a course: its own exams, or the platform 岗前考试 for a pre-job course. */
  async function passedAttemptFor(q: DbOrTx, workerId: string, course: CourseRow) {
    const own = eq(trainingExam.courseId, course.id);
    const platformPreJob = and(isNull(trainingExam.orgId), eq(trainingExam.kind, 'pre_job'));
    const [best] = await q
      .select({ id: trainingAttempt.id, score: trainingAttempt.score, at: trainingAttempt.submittedAt })
      .from(trainingAttempt)
      .innerJoin(trainingExam, eq(trainingExam.id, trainingAttempt.examId))
      .where(
        and(
          eq(trainingAttempt.workerId, workerId),
          eq(trainingAttempt.passed, true),
          course.kind === 'pre_job' ? sql`(${own} or ${platformPreJob})` : own,
        ),
      )
      .orderBy(desc(trainingAttempt.score))
      .limit(1);
    return best ?? null;
  }

  async function nextNumber(q: DbOrTx, now: Date): Promise<string> {
    const year = Number(shanghaiDay(now).slice(0, 4));
    const [row] = await q
      .insert(trainingCertificateSeq)
      .values({ year, last: 1 })
      .onConflictDoUpdate({
        target: trainingCertificateSeq.year,
        set: { last: sql`${trainingCertificateSeq.last} + 1` },
      })
      .returning({ last: trainingCertificateSeq.last });
    return formatTrainingNumber(year, row!.last);
  }

  /**
   * Issues every training certificate the worker has now earned (published course, minutes ≥ required, a passed
   * exam that counts), once per course. Completing a pre-job course records the result with the workers module,
   * so the 安心服务证's training check turns green in the same transaction.
   */
  async function settle(tx: DbOrTx, ctx: RequestContext, workerId: string, now: Date) {
    const studied = await tx
      .selectDistinct({ id: trainingLesson.courseId })
      .from(trainingLessonProgress)
      .innerJoin(trainingLesson, eq(trainingLesson.id, trainingLessonProgress.lessonId))
      .where(eq(trainingLessonProgress.workerId, workerId));
    const attended = await tx
      .selectDistinct({ id: trainingClass.courseId })
      .from(trainingAttendance)
      .innerJoin(trainingClass, eq(trainingClass.id, trainingAttendance.classId))
      .where(eq(trainingAttendance.workerId, workerId));
    const courseIds = [...new Set([...studied, ...attended].map((r) => r.id))];
    if (!courseIds.length) return;
    const have = await tx
      .select({ courseId: trainingCertificate.courseId })
      .from(trainingCertificate)
      .where(
        and(eq(trainingCertificate.workerId, workerId), inArray(trainingCertificate.courseId, courseIds)),
      );
    const done = new Set(have.map((h) => h.courseId));
    for (const courseId of courseIds) {
      if (done.has(courseId)) continue;
      const course = await courseById(courseId, tx);
      if (course.state !== 'published') continue;
      const minutes = await minutesFor(tx, workerId, courseId);
      if (minutes < course.requiredMinutes) continue;
      const passed = await passedAttemptFor(tx, workerId, course);
      if (!passed) continue;
      const id = newId('tcr');
      await tx.insert(trainingCertificate).values({
        id,
        number: await nextNumber(tx, now),
        workerId,
        courseId,
        orgId: course.orgId,
        attemptId: passed.id,
        minutes,
        score: passed.score ?? 0,
        verifyToken: randomBytes(16).toString('base64url'),
        issuedAt: now,
      });
      await appendAudit(
        tx,
        ctx,
        {
          action: 'training.certificate_issued',
          objectType: 'training_certificate',
          objectId: id,
          detail: { courseId, workerId, minutes },
        },
        now,
      );
      if (course.kind === 'pre_job') {
        await workers.recordTrainingResult(
          {
            workerId,
            courseName: course.title,
            passed: true,
            score: passed.score,
            examDate: shanghaiDay(passed.at ?? now),
            recordedBy: null,
          },
          tx,
        );
        await appendAudit(
          tx,
          ctx,
          {
            action: 'training.pre_job_recorded',
            objectType: 'worker',
            objectId: workerId,
            detail: { courseId, certificateId: id },
          },
          now,
        );
      }
    }
  }

  /**
   * Workers enrolled in any training class (for recruitment's 当家政 signal), optionally only among `only`.
   * Only ids: the class, dates and results stay in this module.
   */
  async function enrolledWorkerIds(only?: string[]): Promise<string[]> {
    if (only && only.length === 0) return [];
    const rows = await db
      .selectDistinct({ workerId: trainingEnrolment.workerId })
      .from(trainingEnrolment)
      .where(only ? inArray(trainingEnrolment.workerId, only) : undefined);
    return rows.map((r) => r.workerId);
  }

  // Attempt views (answers never before the attempt is closed) ------------------------------------------------

  async function attemptView(a: AttemptRow) {
    const exam = await examById(a.examId);
    const qs = await questionsOf(a.questionIds);
    const closed = a.state !== 'open';
    return {
      id: a.id,
      examId: a.examId,
      examTitle: exam.title,
      state: a.state as AttemptState,
      startedAt: a.startedAt.toISOString(),
      deadline: a.deadline.toISOString(),
      serverNow: clock().toISOString(),
      submittedAt: iso(a.submittedAt),
      passScore: exam.passScore,
      answers: a.answers,
      questions: qs.map((q) => ({
        id: q.id,
        type: q.type as 'single' | 'multiple' | 'true_false',
        stem: q.stem,
        options: q.options,
        topic: q.topic,
        topicLabel: labelIn(questionTopics, q.topic),
        // Only once the attempt is closed: the browser never holds the key while the clock runs.
        correct: closed ? q.answer : null,
        explanation: closed ? q.explanation : null,
      })),
      result: closed
        ? {
            score: a.score ?? 0,
            passed: a.passed ?? false,
            breakdown: (a.breakdown ?? []).map((b) => ({
              ...b,
              topicLabel: labelIn(questionTopics, b.topic),
            })),
          }
        : null,
    };
  }

  async function myAttempt(ctx: RequestContext, attemptId: string): Promise<AttemptRow> {
    const workerId = await workerIdOf(ctx);
    const [a] = await db.select().from(trainingAttempt).where(eq(trainingAttempt.id, attemptId));
    // Another worker's attempt is hidden, not forbidden.
    if (!a || a.workerId !== workerId) throw new AppError('NOT_FOUND');
    return a;
  }

  function checkAnswers(a: AttemptRow, questions: QuestionRow[], answers: Record<string, number[]>) {
    const byId = new Map(questions.map((q) => [q.id, q]));
    const issues = Object.entries(answers).flatMap(([qid, picks]) => {
      const q = byId.get(qid);
      if (!q || !a.questionIds.includes(qid))
        return [{ path: `answers.${qid}`, message: 'not on this paper' }];
      if (picks.some((p) => p < 0 || p >= q.options.length) || new Set(picks).size !== picks.length)
        return [{ path: `answers.${qid}`, message: 'no such option' }];
      if (q.type !== 'multiple' && picks.length > 1)
        return [{ path: `answers.${qid}`, message: 'one option only' }];
      return [];
    });
    if (issues.length) throw new AppError('TRAINING_ANSWER_INVALID', { issues });
  }

  async function certificateView(c: typeof trainingCertificate.$inferSelect) {
    const course = await courseById(c.courseId);
    const org = await orgs.getOrganization(c.orgId);
    return {
      id: c.id,
      number: c.number,
      courseId: c.courseId,
      courseTitle: course.title,
      institution: org?.name ?? '',
      minutes: c.minutes,
      score: c.score,
      issuedAt: c.issuedAt.toISOString(),
      verifyUrl: `${deps.publicUrl}/vt/${c.verifyToken}`,
      pdfUrl: `/api/v1/training/certificates/${c.id}/pdf`,
    };
  }

  return {
    enrolledWorkerIds,

    // Courses and lessons ---------------------------------------------------------------------------------------

    /** The institution's courses, newest first. */
    async listCourses(ctx: RequestContext) {
      const orgId = institutionOf(ctx);
      const rows = await db
        .select()
        .from(trainingCourse)
        .where(eq(trainingCourse.orgId, orgId))
        .orderBy(desc(trainingCourse.id));
      const counts = await lessonCounts(rows.map((r) => r.id));
      return { items: rows.map((r) => courseView(r, counts.get(r.id) ?? 0)) };
    },

    /** Creates a draft course of the caller's institution. */
    async createCourse(ctx: RequestContext, input: CourseInput) {
      const orgId = institutionOf(ctx);
      const id = newId('crs');
      const now = clock();
      await db.transaction(async (tx) => {
        await tx.insert(trainingCourse).values({
          id,
          orgId,
          title: input.title,
          category: input.category,
          kind: input.kind,
          skillLevel: input.skillLevel ?? null,
          requiredMinutes: input.requiredMinutes,
          description: input.description ?? null,
          state: 'draft',
          createdBy: ctx.actor!.userId,
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          { action: 'training.course_created', objectType: 'training_course', objectId: id },
          now,
        );
      });
      return courseView(await courseById(id), 0);
    },

    /** Edits a course of the caller's own institution (another institution's: TRAINING_NOT_OWNER). */
    async updateCourse(ctx: RequestContext, id: string, patch: Partial<CourseInput>) {
      const c = await courseById(id);
      await owns(ctx, c.orgId, 'training_course', id);
      if (c.state === 'archived') throw new AppError('TRAINING_INVALID_TRANSITION');
      const now = clock();
      await db.transaction(async (tx) => {
        await tx
          .update(trainingCourse)
          .set({
            ...(patch.title !== undefined ? { title: patch.title } : {}),
            ...(patch.category !== undefined ? { category: patch.category } : {}),
            ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
            ...(patch.skillLevel !== undefined ? { skillLevel: patch.skillLevel } : {}),
            ...(patch.requiredMinutes !== undefined ? { requiredMinutes: patch.requiredMinutes } : {}),
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            updatedAt: now,
          })
          .where(eq(trainingCourse.id, id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'training.course_updated',
            objectType: 'training_course',
            objectId: id,
            detail: { fields: Object.keys(patch) },
          },
          now,
        );
      });
      return courseView(await courseById(id), (await lessonCounts([id])).get(id) ?? 0);
    },

    /** Publishes or archives a course (course-status.ts). */
    async courseAction(ctx: RequestContext, id: string, action: CourseAction) {
      const c = await courseById(id);
      await owns(ctx, c.orgId, 'training_course', id);
      const to = courseTransition(c.state as CourseState, action);
      if (!to) throw new AppError('TRAINING_INVALID_TRANSITION');
      if (action === 'publish' && !(await lessonCounts([id])).get(id) && c.requiredMinutes > 0) {
        const [hasClass] = await db
          .select({ id: trainingClass.id })
          .from(trainingClass)
          .where(eq(trainingClass.courseId, id))
          .limit(1);
        if (!hasClass)
          throw new AppError('TRAINING_INVALID_TRANSITION', {
            zh: '课程至少需要一节课或一个班次才能发布',
            en: 'A course needs a lesson or a class before it is published',
          });
      }
      const now = clock();
      await db.transaction(async (tx) => {
        const done = await tx
          .update(trainingCourse)
          .set({ state: to, updatedAt: now })
          .where(and(eq(trainingCourse.id, id), eq(trainingCourse.state, c.state)))
          .returning({ id: trainingCourse.id });
        if (!done.length) throw new AppError('TRAINING_INVALID_TRANSITION');
        await appendAudit(
          tx,
          ctx,
          {
            action: `training.course_${action}`,
            objectType: 'training_course',
            objectId: id,
            detail: { from: c.state, to },
          },
          now,
        );
      });
      return courseView(await courseById(id), (await lessonCounts([id])).get(id) ?? 0);
    },

    /** A course with its lessons: any state for its institution, published only for everyone else. */
    async getCourse(ctx: RequestContext, id: string) {
      const c = await courseById(id);
      const staff = orgIdsOf(ctx.actor!, 'training').includes(c.orgId);
      if (!staff && c.state !== 'published') throw new AppError('NOT_FOUND');
      const lessons = await db
        .select()
        .from(trainingLesson)
        .where(eq(trainingLesson.courseId, id))
        .orderBy(asc(trainingLesson.position));
      let completed: string[] = [];
      let minutes = 0;
      if (hasRole(ctx.actor, 'worker')) {
        const workerId = await workers.findWorkerIdByUser(ctx.actor!.userId);
        if (workerId) {
          const rows = lessons.length
            ? await db
                .select({ id: trainingLessonProgress.lessonId })
                .from(trainingLessonProgress)
                .where(
                  and(
                    eq(trainingLessonProgress.workerId, workerId),
                    inArray(
                      trainingLessonProgress.lessonId,
                      lessons.map((l) => l.id),
                    ),
                  ),
                )
            : [];
          completed = rows.map((r) => r.id);
          minutes = await minutesFor(db, workerId, id);
        }
      }
      const org = await orgs.getOrganization(c.orgId);
      return {
        course: courseView(c, lessons.length),
        institution: org?.name ?? '',
        lessons: lessons.map(lessonView),
        completedLessonIds: completed,
        minutesDone: minutes,
      };
    },

    /** Adds a rich-text (sanitized) or video-URL lesson at the end of a course. */
    async addLesson(ctx: RequestContext, courseId: string, input: LessonInput) {
      const c = await courseById(courseId);
      await owns(ctx, c.orgId, 'training_course', courseId);
      if (c.state === 'archived') throw new AppError('TRAINING_INVALID_TRANSITION');
      if (input.kind === 'video_url' && !/^https:\/\//i.test(input.url))
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'url', message: 'an https:// URL is required' }],
        });
      const body = input.kind === 'text' ? sanitizeLessonHtml(input.bodyHtml) : null;
      if (input.kind === 'text' && !body?.trim())
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'bodyHtml', message: 'nothing left after cleaning' }],
        });
      return insertLesson(ctx, courseId, {
        title: input.title,
        kind: input.kind,
        bodyHtml: body,
        url: input.kind === 'video_url' ? input.url : null,
        minutes: input.minutes,
      });
    },

    /** Adds a PDF or video-file lesson; the bytes are checked by content (PDF ≤ 20 MB, MP4/WebM ≤ 100 MB). */
    async addLessonFile(
      ctx: RequestContext,
      courseId: string,
      file: { data: Buffer },
      fields: { title: string; minutes: number },
    ) {
      const c = await courseById(courseId);
      await owns(ctx, c.orgId, 'training_course', courseId);
      if (c.state === 'archived') throw new AppError('TRAINING_INVALID_TRANSITION');
      let mime: string;
      let ext: string;
      // Videos lose udta/meta boxes and Tags in place at the storage layer (same size); PDFs are stripped here.
      let data = file.data;
      const sniffed = file.data.length ? await fileTypeFromBuffer(file.data) : undefined;
      if (sniffed && (VIDEO_MIMES as readonly string[]).includes(sniffed.mime)) {
        if (file.data.length > MAX_VIDEO_BYTES) throw new AppError('FILE_TOO_LARGE');
        mime = sniffed.mime;
        ext = sniffed.ext;
      } else {
        const info = await prepareUpload(file.data, {
          allowed: ['application/pdf'],
          maxBytes: MAX_PDF_BYTES,
        });
        mime = info.mime;
        ext = info.ext;
        data = info.data;
      }
      const id = newId('lsn');
      const key = `training/${courseId}/${id}.${ext}`;
      await storage.put(key, data);
      return insertLesson(
        ctx,
        courseId,
        {
          title: fields.title,
          kind: mime === 'application/pdf' ? 'pdf' : 'video_file',
          fileKey: key,
          fileMime: mime,
          fileSize: data.length,
          minutes: fields.minutes,
        },
        id,
      );
    },

    /** The file of a lesson, for its institution or any signed-in learner of a published course. */
    async lessonFile(ctx: RequestContext, lessonId: string) {
      const [l] = await db.select().from(trainingLesson).where(eq(trainingLesson.id, lessonId));
      if (!l?.fileKey) throw new AppError('NOT_FOUND');
      const c = await courseById(l.courseId);
      const staff = orgIdsOf(ctx.actor!, 'training').includes(c.orgId);
      if (!staff && c.state !== 'published') throw new AppError('NOT_FOUND');
      const data = await storage.get(l.fileKey);
      if (!data) throw new AppError('NOT_FOUND');
      return { data, mime: l.fileMime ?? 'application/octet-stream' };
    },

    // Question banks -------------------------------------------------------------------------------------------

    /** Banks of the caller's scope, with their question counts. */
    async listBanks(ctx: RequestContext) {
      const s = scopeOf(ctx);
      const rows = await db
        .select({
          id: trainingQuestionBank.id,
          name: trainingQuestionBank.name,
          orgId: trainingQuestionBank.orgId,
          questionCount: sql<number>`(select count(*)::int from training_question q where q.bank_id = training_question_bank.id)`,
        })
        .from(trainingQuestionBank)
        .where(s.orgId ? eq(trainingQuestionBank.orgId, s.orgId) : isNull(trainingQuestionBank.orgId))
        .orderBy(desc(trainingQuestionBank.id));
      return { items: rows };
    },

    /** Creates an empty bank in the caller's scope. */
    async createBank(ctx: RequestContext, input: { name: string }) {
      const s = scopeOf(ctx);
      const id = newId('qbk');
      const now = clock();
      await db.transaction(async (tx) => {
        await tx
          .insert(trainingQuestionBank)
          .values({ id, orgId: s.orgId, name: input.name, createdBy: ctx.actor!.userId, createdAt: now });
        await appendAudit(
          tx,
          ctx,
          { action: 'training.bank_created', objectType: 'training_bank', objectId: id },
          now,
        );
      });
      return { id, name: input.name, orgId: s.orgId, questionCount: 0 };
    },

    /** Questions of a bank with their answers (staff only), keyset-paginated by id. */
    async listQuestions(
      ctx: RequestContext,
      bankId: string,
      q: { cursor?: string | undefined; limit: number; topic?: string | undefined },
    ) {
      const bank = await bankById(bankId);
      await owns(ctx, bank.orgId, 'training_bank', bankId);
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(trainingQuestion)
        .where(
          and(
            eq(trainingQuestion.bankId, bankId),
            after ? gt(trainingQuestion.id, after.id) : undefined,
            q.topic ? eq(trainingQuestion.topic, q.topic) : undefined,
          ),
        )
        .orderBy(asc(trainingQuestion.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return {
        items: page.items.map((r) => ({
          id: r.id,
          type: r.type as 'single' | 'multiple' | 'true_false',
          stem: r.stem,
          options: r.options,
          answer: r.answer,
          category: r.category,
          level: r.level,
          topic: r.topic,
          difficulty: r.difficulty as 'easy' | 'medium' | 'hard',
          explanation: r.explanation,
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** Adds one question (validated like an imported row). */
    async addQuestion(ctx: RequestContext, bankId: string, input: QuestionInput) {
      const bank = await bankById(bankId);
      await owns(ctx, bank.orgId, 'training_bank', bankId);
      const issues: { path: string; message: string }[] = [];
      const options = input.type === 'true_false' ? ['对', '错'] : input.options;
      if (input.type !== 'true_false' && options.length < 2)
        issues.push({ path: 'options', message: 'at least two options' });
      if (
        input.answer.some((i) => i < 0 || i >= options.length) ||
        new Set(input.answer).size !== input.answer.length
      )
        issues.push({ path: 'answer', message: 'answer names no option' });
      if (input.type !== 'multiple' && input.answer.length !== 1)
        issues.push({ path: 'answer', message: 'exactly one answer' });
      if (input.type === 'multiple' && input.answer.length < 2)
        issues.push({ path: 'answer', message: 'at least two answers' });
      if (issues.length) throw new AppError('VALIDATION_FAILED', { issues });
      const [id] = await insertQuestions(ctx, bankId, [{ ...input, options }]);
      return { id: id! };
    },

    /**
     * Imports questions from an .xlsx or .csv file: every row is checked first; with any bad row nothing is
     * stored and TRAINING_IMPORT_INVALID lists each row and column.
     */
    async importQuestions(ctx: RequestContext, bankId: string, file: { data: Buffer; filename: string }) {
      const bank = await bankById(bankId);
      await owns(ctx, bank.orgId, 'training_bank', bankId);
      if (!file.data.length) throw new AppError('FILE_EMPTY');
      const isZip = file.data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
      let rows: string[][];
      if (isZip) {
        try {
          rows = await parseXlsx(file.data);
        } catch {
          throw new AppError('TRAINING_IMPORT_INVALID', {
            issues: [{ path: 'file', message: '无法读取 xlsx 文件' }],
          });
        }
      } else {
        const text = file.data.toString('utf8');
        if (text.includes('\uFFFD') || text.includes('\u0000'))
          throw new AppError('FILE_TYPE_NOT_ALLOWED', {
            zh: '请上传 xlsx 或 UTF-8 编码的 CSV 文件',
            en: 'Upload an .xlsx or a UTF-8 CSV file',
          });
        rows = parseCsv(text);
      }
      const { questions, errors } = parseQuestionRows(rows);
      if (errors.length)
        throw new AppError('TRAINING_IMPORT_INVALID', {
          issues: errors.map((e) => ({
            path: `row ${e.row}${e.column ? `.${e.column}` : ''}`,
            message: e.message,
          })),
        });
      await insertQuestions(ctx, bankId, questions);
      return { imported: questions.length };
    },

    // Exams ----------------------------------------------------------------------------------------------------

    /** Exams of the caller's scope. */
    async listExams(ctx: RequestContext) {
      const s = scopeOf(ctx);
      const rows = await db
        .select()
        .from(trainingExam)
        .where(s.orgId ? eq(trainingExam.orgId, s.orgId) : isNull(trainingExam.orgId))
        .orderBy(desc(trainingExam.id));
      return { items: rows.map(examView) };
    },

    /** Creates a draft exam; the bank must be the caller's and hold enough questions for every rule. */
    async createExam(ctx: RequestContext, input: ExamInput) {
      const s = scopeOf(ctx);
      const bank = await bankById(input.bankId);
      await owns(ctx, bank.orgId, 'training_bank', bank.id);
      if (input.courseId) {
        const c = await courseById(input.courseId);
        await owns(ctx, c.orgId, 'training_course', c.id);
      }
      if (input.kind === 'pre_job' && s.orgId !== null)
        throw new AppError('FORBIDDEN', {
          zh: '岗前考试由监管部门配置',
          en: 'The pre-job exam is configured by the regulator',
        });
      const pool = await db
        .select({
          id: trainingQuestion.id,
          topic: trainingQuestion.topic,
          difficulty: trainingQuestion.difficulty,
        })
        .from(trainingQuestion)
        .where(eq(trainingQuestion.bankId, bank.id));
      const draw = drawPaper(pool, input.rules, 'check');
      if (!draw.ok)
        throw new AppError('TRAINING_BANK_TOO_SMALL', {
          issues: draw.shortages.map((x) => ({
            path: `rules.${x.topic}.${x.difficulty}`,
            message: `wanted ${x.wanted}, the bank has ${x.available}`,
          })),
        });
      const id = newId('exm');
      const now = clock();
      await db.transaction(async (tx) => {
        await tx.insert(trainingExam).values({
          id,
          orgId: s.orgId,
          courseId: input.courseId ?? null,
          bankId: bank.id,
          kind: input.kind,
          title: input.title,
          rules: input.rules,
          timeLimitMinutes: input.timeLimitMinutes,
          passScore: input.passScore,
          maxAttempts: input.maxAttempts,
          cooldownMinutes: input.cooldownMinutes,
          state: 'draft',
          createdBy: ctx.actor!.userId,
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          { action: 'training.exam_created', objectType: 'training_exam', objectId: id },
          now,
        );
      });
      return examView(await examById(id));
    },

    /** Publishes or closes an exam. */
    async examAction(ctx: RequestContext, id: string, action: ExamAction) {
      const e = await examById(id);
      await owns(ctx, e.orgId, 'training_exam', id);
      const to = examTransition(e.state as ExamState, action);
      if (!to) throw new AppError('TRAINING_INVALID_TRANSITION');
      const now = clock();
      await db.transaction(async (tx) => {
        const done = await tx
          .update(trainingExam)
          .set({ state: to, updatedAt: now })
          .where(and(eq(trainingExam.id, id), eq(trainingExam.state, e.state)))
          .returning({ id: trainingExam.id });
        if (!done.length) throw new AppError('TRAINING_INVALID_TRANSITION');
        await appendAudit(
          tx,
          ctx,
          {
            action: `training.exam_${action}`,
            objectType: 'training_exam',
            objectId: id,
            detail: { from: e.state, to },
          },
          now,
        );
      });
      return examView(await examById(id));
    },

    /** Closed attempts of an exam with scores and per-topic breakdown, newest first (keyset by id). */
    async examResults(
      ctx: RequestContext,
      examId: string,
      q: { cursor?: string | undefined; limit: number },
    ) {
      const e = await examById(examId);
      await owns(ctx, e.orgId, 'training_exam', examId);
      const before = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(trainingAttempt)
        .where(
          and(
            eq(trainingAttempt.examId, examId),
            inArray(trainingAttempt.state, ['submitted', 'expired']),
            before ? lt(trainingAttempt.id, before.id) : undefined,
          ),
        )
        .orderBy(desc(trainingAttempt.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const items = [];
      for (const a of page.items) {
        const w = await workerFacts.workerBasics(a.workerId);
        items.push({
          id: a.id,
          workerId: a.workerId,
          workerName: w?.name ?? '',
          state: a.state as AttemptState,
          startedAt: a.startedAt.toISOString(),
          submittedAt: iso(a.submittedAt),
          score: a.score ?? 0,
          passed: a.passed ?? false,
          breakdown: (a.breakdown ?? []).map((b) => ({ ...b, topicLabel: labelIn(questionTopics, b.topic) })),
        });
      }
      return { items, nextCursor: page.nextCursor };
    },

    // Worker: learning and exams -------------------------------------------------------------------------------

    /** The worker's training page: open exams with their attempt status, courses with progress, classes, certificates. */
    async myTraining(ctx: RequestContext) {
      const workerId = await workerIdOf(ctx);
      await expireOverdue(workerId, null);
      const now = clock();
      const exams = await db
        .select()
        .from(trainingExam)
        .where(eq(trainingExam.state, 'published'))
        .orderBy(asc(trainingExam.id));
      const attempts = await db
        .select()
        .from(trainingAttempt)
        .where(eq(trainingAttempt.workerId, workerId))
        .orderBy(asc(trainingAttempt.startedAt));
      const examItems = exams.map((e) => {
        const mine = attempts.filter((a) => a.examId === e.id);
        const decision = decideStart(toPast(mine), e, now);
        const open = mine.find((a) => a.state === 'open');
        const best = mine.reduce<number | null>(
          (m, a) => (a.score != null && (m === null || a.score > m) ? a.score : m),
          null,
        );
        return {
          ...examView(e),
          attemptsUsed: mine.length,
          bestScore: best,
          passed: mine.some((a) => a.passed),
          openAttemptId: open?.id ?? null,
          lastAttemptId: mine.at(-1)?.id ?? null,
          canStart: decision.ok,
          refusal: decision.ok ? null : decision.reason,
          retryAt: !decision.ok && decision.retryAt ? decision.retryAt.toISOString() : null,
        };
      });
      const courses = await db
        .select()
        .from(trainingCourse)
        .where(eq(trainingCourse.state, 'published'))
        .orderBy(asc(trainingCourse.id));
      const counts = await lessonCounts(courses.map((c) => c.id));
      const courseItems = [];
      for (const c of courses)
        courseItems.push({
          ...courseView(c, counts.get(c.id) ?? 0),
          minutesDone: await minutesFor(db, workerId, c.id),
        });
      const enrolled = await db
        .select({ classId: trainingEnrolment.classId })
        .from(trainingEnrolment)
        .where(eq(trainingEnrolment.workerId, workerId));
      const enrolledIds = new Set(enrolled.map((e) => e.classId));
      const classes = await db
        .select()
        .from(trainingClass)
        .where(and(eq(trainingClass.state, 'open'), gte(trainingClass.endsOn, shanghaiDay(now))))
        .orderBy(asc(trainingClass.startsOn));
      const certs = await db
        .select()
        .from(trainingCertificate)
        .where(eq(trainingCertificate.workerId, workerId))
        .orderBy(desc(trainingCertificate.issuedAt));
      return {
        exams: examItems,
        courses: courseItems,
        classes: classes
          .filter((k) => courses.some((c) => c.id === k.courseId))
          .map((k) => ({ ...classView(k), enrolled: enrolledIds.has(k.id) })),
        certificates: await Promise.all(certs.map(certificateView)),
      };
    },

    /** Marks an online lesson finished; may complete the course. */
    async completeLesson(ctx: RequestContext, lessonId: string) {
      const workerId = await workerIdOf(ctx);
      const [l] = await db.select().from(trainingLesson).where(eq(trainingLesson.id, lessonId));
      if (!l) throw new AppError('NOT_FOUND');
      const c = await courseById(l.courseId);
      if (c.state !== 'published') throw new AppError('TRAINING_NOT_OPEN');
      const now = clock();
      await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(trainingLessonProgress)
          .values({ workerId, lessonId, completedAt: now })
          .onConflictDoNothing()
          .returning({ lessonId: trainingLessonProgress.lessonId });
        if (inserted.length) {
          await appendAudit(
            tx,
            ctx,
            { action: 'training.lesson_completed', objectType: 'training_lesson', objectId: lessonId },
            now,
          );
          await settle(tx, ctx, workerId, now);
        }
      });
      return { lessonId, completed: true, minutesDone: await minutesFor(db, workerId, c.id) };
    },

    /** Starts an attempt: draws the paper by the exam's rules and fixes the server deadline. */
    async startAttempt(ctx: RequestContext, examId: string) {
      const workerId = await workerIdOf(ctx);
      const exam = await examById(examId);
      if (exam.state !== 'published') throw new AppError('TRAINING_NOT_OPEN');
      await expireOverdue(workerId, examId);
      const now = clock();
      const past = await db
        .select()
        .from(trainingAttempt)
        .where(and(eq(trainingAttempt.workerId, workerId), eq(trainingAttempt.examId, examId)));
      const decision = decideStart(toPast(past), exam, now);
      if (!decision.ok) {
        const code = {
          attempt_open: 'TRAINING_ATTEMPT_OPEN',
          already_passed: 'TRAINING_ALREADY_PASSED',
          limit_reached: 'TRAINING_RETAKE_LIMIT',
          cooling_down: 'TRAINING_COOLDOWN',
        } as const;
        throw new AppError(
          code[decision.reason],
          decision.retryAt ? { detail: `Retry after ${decision.retryAt.toISOString()}` } : {},
        );
      }
      const pool = await db
        .select({
          id: trainingQuestion.id,
          topic: trainingQuestion.topic,
          difficulty: trainingQuestion.difficulty,
        })
        .from(trainingQuestion)
        .where(eq(trainingQuestion.bankId, exam.bankId));
      const seed = randomBytes(12).toString('base64url');
      const draw = drawPaper(pool, exam.rules, seed);
      if (!draw.ok) throw new AppError('TRAINING_BANK_TOO_SMALL');
      const id = newId('att');
      try {
        await db.transaction(async (tx) => {
          await tx.insert(trainingAttempt).values({
            id,
            examId,
            workerId,
            seed,
            questionIds: draw.questionIds,
            answers: {},
            state: 'open',
            startedAt: now,
            deadline: new Date(now.getTime() + exam.timeLimitMinutes * 60_000),
            createdAt: now,
            updatedAt: now,
          });
          await appendAudit(
            tx,
            ctx,
            {
              action: 'training.attempt_started',
              objectType: 'training_attempt',
              objectId: id,
              detail: { examId },
            },
            now,
          );
        });
      } catch (e) {
        // Two starts racing: the partial unique index lets only one open attempt exist.
        if (isUniqueViolation(e)) throw new AppError('TRAINING_ATTEMPT_OPEN');
        throw e;
      }
      const [a] = await db.select().from(trainingAttempt).where(eq(trainingAttempt.id, id));
      return attemptView(a!);
    },

    /** The worker's attempt: the paper without answers while open; the graded review once closed. */
    async getAttempt(ctx: RequestContext, attemptId: string) {
      let a = await myAttempt(ctx, attemptId);
      if (a.state === 'open' && attemptTransition('open', 'save', a.deadline, clock()).ok === false) {
        await expireOverdue(a.workerId, a.examId);
        a = await myAttempt(ctx, attemptId);
      }
      return attemptView(a);
    },

    /** Saves answers so far (merged into the saved ones); refused after the deadline. */
    async saveAnswers(ctx: RequestContext, attemptId: string, answers: Record<string, number[]>) {
      const a = await myAttempt(ctx, attemptId);
      const now = clock();
      const t = attemptTransition(a.state as AttemptState, 'save', a.deadline, now);
      if (!t.ok) {
        if (t.error === 'expired') {
          await expireOverdue(a.workerId, a.examId);
          throw new AppError('TRAINING_ATTEMPT_EXPIRED');
        }
        throw new AppError('TRAINING_ATTEMPT_CLOSED');
      }
      checkAnswers(a, await questionsOf(a.questionIds), answers);
      const merged = { ...a.answers, ...answers };
      await db
        .update(trainingAttempt)
        .set({ answers: merged, updatedAt: now })
        .where(and(eq(trainingAttempt.id, a.id), eq(trainingAttempt.state, 'open')));
      return {
        saved: Object.keys(answers).length,
        deadline: a.deadline.toISOString(),
        serverNow: now.toISOString(),
      };
    },

    /**
     * Submits and grades an attempt. After the deadline (plus grace) the submission is refused with
     * TRAINING_ATTEMPT_EXPIRED and the attempt is closed on the answers saved in time.
     */
    async submitAttempt(ctx: RequestContext, attemptId: string, answers: Record<string, number[]>) {
      const a = await myAttempt(ctx, attemptId);
      const now = clock();
      const t = attemptTransition(a.state as AttemptState, 'submit', a.deadline, now);
      if (!t.ok) {
        if (t.error === 'expired') {
          await expireOverdue(a.workerId, a.examId);
          throw new AppError('TRAINING_ATTEMPT_EXPIRED');
        }
        throw new AppError('TRAINING_ATTEMPT_CLOSED');
      }
      checkAnswers(a, await questionsOf(a.questionIds), answers);
      await db.transaction((tx) => closeAttempt(tx, ctx, a, 'submitted', { ...a.answers, ...answers }, now));
      return attemptView((await db.select().from(trainingAttempt).where(eq(trainingAttempt.id, a.id)))[0]!);
    },

    // Classes --------------------------------------------------------------------------------------------------

    /** The institution's classes with enrolment counts. */
    async listClasses(ctx: RequestContext) {
      const orgId = institutionOf(ctx);
      const rows = await db
        .select()
        .from(trainingClass)
        .where(eq(trainingClass.orgId, orgId))
        .orderBy(desc(trainingClass.startsOn));
      return {
        items: await Promise.all(
          rows.map(async (k) => ({ ...classView(k), enrolledCount: await enrolledCount(db, k.id) })),
        ),
      };
    },

    /** Schedules a class of one of the institution's courses. */
    async createClass(ctx: RequestContext, input: ClassInput) {
      const c = await courseById(input.courseId);
      await owns(ctx, c.orgId, 'training_course', c.id);
      if (input.endsOn < input.startsOn)
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'endsOn', message: 'before startsOn' }] });
      const id = newId('cls');
      const now = clock();
      await db.transaction(async (tx) => {
        await tx.insert(trainingClass).values({
          id,
          courseId: c.id,
          orgId: c.orgId,
          title: input.title,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          minutesPerDay: input.minutesPerDay,
          venue: input.venue,
          lon: input.lon ?? null,
          lat: input.lat ?? null,
          capacity: input.capacity,
          checkinToken: randomBytes(16).toString('base64url'),
          state: 'open',
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          { action: 'training.class_created', objectType: 'training_class', objectId: id },
          now,
        );
      });
      return { ...classView(await classById(id)), enrolledCount: 0 };
    },

    /** A class with its roster and attendance, and the check-in URL the venue's QR code carries. */
    async classDetail(ctx: RequestContext, classId: string) {
      const k = await classById(classId);
      await owns(ctx, k.orgId, 'training_class', classId);
      const roster = await db
        .select()
        .from(trainingEnrolment)
        .where(eq(trainingEnrolment.classId, classId))
        .orderBy(asc(trainingEnrolment.enrolledAt));
      const att = await db.select().from(trainingAttendance).where(eq(trainingAttendance.classId, classId));
      const trainees = [];
      for (const r of roster) {
        const w = await workerFacts.workerBasics(r.workerId);
        const mine = att.filter((x) => x.workerId === r.workerId);
        trainees.push({
          workerId: r.workerId,
          name: w?.name ?? '',
          enrolledAt: r.enrolledAt.toISOString(),
          days: mine.map((x) => x.day).sort(),
          minutes: mine.reduce((n, x) => n + x.minutes, 0),
        });
      }
      return {
        class: { ...classView(k), enrolledCount: roster.length },
        checkinUrl: `${deps.publicUrl}/worker/training/checkin/${k.checkinToken}`,
        trainees,
      };
    },

    /** The check-in QR code (SVG) for the venue. */
    async classQr(ctx: RequestContext, classId: string) {
      const k = await classById(classId);
      await owns(ctx, k.orgId, 'training_class', classId);
      return qrSvg(`${deps.publicUrl}/worker/training/checkin/${k.checkinToken}`);
    },

    /** Enrols the worker in an open class while seats remain (the class row is locked while counting). */
    async enrol(ctx: RequestContext, classId: string) {
      const workerId = await workerIdOf(ctx);
      const now = clock();
      await db.transaction(async (tx) => {
        const [k] = await tx.select().from(trainingClass).where(eq(trainingClass.id, classId)).for('update');
        if (!k) throw new AppError('NOT_FOUND');
        if (k.state !== 'open' || k.endsOn < shanghaiDay(now)) throw new AppError('TRAINING_NOT_OPEN');
        const [already] = await tx
          .select()
          .from(trainingEnrolment)
          .where(and(eq(trainingEnrolment.classId, classId), eq(trainingEnrolment.workerId, workerId)));
        if (already) return;
        if ((await enrolledCount(tx, classId)) >= k.capacity) throw new AppError('TRAINING_CLASS_FULL');
        await tx.insert(trainingEnrolment).values({ classId, workerId, enrolledAt: now });
        await appendAudit(
          tx,
          ctx,
          { action: 'training.enrolled', objectType: 'training_class', objectId: classId },
          now,
        );
      });
      return { classId, enrolled: true };
    },

    /** Checks the worker in with the venue's QR token: enrolled, on a class day, once per day. */
    async checkIn(ctx: RequestContext, token: string) {
      const workerId = await workerIdOf(ctx);
      const [k] = await db.select().from(trainingClass).where(eq(trainingClass.checkinToken, token));
      if (!k) throw new AppError('NOT_FOUND');
      const now = clock();
      const today = shanghaiDay(now);
      const [enrolled] = await db
        .select()
        .from(trainingEnrolment)
        .where(and(eq(trainingEnrolment.classId, k.id), eq(trainingEnrolment.workerId, workerId)));
      if (!enrolled || k.state !== 'open' || today < k.startsOn || today > k.endsOn)
        throw new AppError('TRAINING_CHECKIN_REFUSED');
      let already = false;
      await db.transaction(async (tx) => {
        const rows = await tx
          .insert(trainingAttendance)
          .values({ classId: k.id, workerId, day: today, minutes: k.minutesPerDay, checkedInAt: now })
          .onConflictDoNothing()
          .returning({ day: trainingAttendance.day });
        already = rows.length === 0;
        if (!already) {
          await appendAudit(
            tx,
            ctx,
            {
              action: 'training.checked_in',
              objectType: 'training_class',
              objectId: k.id,
              detail: { day: today },
            },
            now,
          );
          await settle(tx, ctx, workerId, now);
        }
      });
      return {
        classId: k.id,
        classTitle: k.title,
        day: today,
        alreadyCheckedIn: already,
        minutes: await minutesFor(db, workerId, k.courseId),
      };
    },

    // Records, certificates, subsidies --------------------------------------------------------------------------

    /** Training certificates issued by the institution, newest first. */
    async listRecords(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const orgId = institutionOf(ctx);
      const before = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(trainingCertificate)
        .where(
          and(
            eq(trainingCertificate.orgId, orgId),
            before ? lt(trainingCertificate.id, before.id) : undefined,
          ),
        )
        .orderBy(desc(trainingCertificate.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const items = [];
      for (const c of page.items) {
        const w = await workerFacts.workerBasics(c.workerId);
        items.push({ ...(await certificateView(c)), workerId: c.workerId, workerName: w?.name ?? '' });
      }
      return { items, nextCursor: page.nextCursor };
    },

    /** The PDF of a training certificate: its worker, or staff of the issuing institution. */
    async certificatePdf(ctx: RequestContext, id: string) {
      const [c] = await db.select().from(trainingCertificate).where(eq(trainingCertificate.id, id));
      if (!c) throw new AppError('NOT_FOUND');
      const mine = (await workers.findWorkerIdByUser(ctx.actor!.userId)) === c.workerId;
      if (!mine && !orgIdsOf(ctx.actor!, 'training').includes(c.orgId)) throw new AppError('NOT_FOUND');
      const v = await certificateView(c);
      const course = await courseById(c.courseId);
      const w = await workerFacts.workerBasics(c.workerId);
      return {
        number: c.number,
        pdf: await renderTrainingCertificatePdf({
          number: c.number,
          name: w?.name ?? '',
          courseTitle: course.title,
          category: labelIn(trainingCategories, course.category),
          hours: hoursText(c.minutes),
          score: c.score,
          institution: v.institution,
          issuedOn: shanghaiDay(c.issuedAt),
          verifyUrl: v.verifyUrl,
        }),
      };
    },

    /** What a training certificate's QR code shows publicly (name masked), or null for an unknown token. */
    async verifyCertificate(token: string): Promise<PublicTrainingCertificate | null> {
      if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return null;
      const [c] = await db
        .select()
        .from(trainingCertificate)
        .where(eq(trainingCertificate.verifyToken, token));
      if (!c) return null;
      const course = await courseById(c.courseId);
      const org = await orgs.getOrganization(c.orgId);
      const w = await workerFacts.workerBasics(c.workerId);
      return {
        number: c.number,
        maskedName: maskName(w?.name ?? ''),
        courseTitle: course.title,
        category: labelIn(trainingCategories, course.category),
        institution: org?.name ?? '',
        hours: hoursText(c.minutes),
        score: c.score,
        issuedOn: shanghaiDay(c.issuedAt),
      };
    },

    /** The worker's training for the e-file: certificates and closed exam attempts. */
    async efileSection(workerId: string) {
      const certs = await db
        .select()
        .from(trainingCertificate)
        .where(eq(trainingCertificate.workerId, workerId))
        .orderBy(desc(trainingCertificate.issuedAt));
      const attempts = await db
        .select({ a: trainingAttempt, title: trainingExam.title })
        .from(trainingAttempt)
        .innerJoin(trainingExam, eq(trainingExam.id, trainingAttempt.examId))
        .where(
          and(
            eq(trainingAttempt.workerId, workerId),
            inArray(trainingAttempt.state, ['submitted', 'expired']),
          ),
        )
        .orderBy(desc(trainingAttempt.startedAt));
      return {
        certificates: await Promise.all(
          certs.map(async (c) => {
            const v = await certificateView(c);
            return {
              id: c.id,
              number: v.number,
              courseTitle: v.courseTitle,
              institution: v.institution,
              minutes: v.minutes,
              score: v.score,
              issuedAt: v.issuedAt,
            };
          }),
        ),
        exams: attempts.map(({ a, title }) => ({
          id: a.id,
          examTitle: title,
          score: a.score ?? 0,
          passed: a.passed ?? false,
          at: (a.submittedAt ?? a.deadline).toISOString(),
        })),
      };
    },

    /** Sets the per-trainee subsidy for a course kind (regulator). */
    async setSubsidyRate(ctx: RequestContext, courseKind: string, amountFen: number) {
      const now = clock();
      await db.transaction(async (tx) => {
        await tx
          .insert(trainingSubsidyRate)
          .values({ courseKind, amountFen, updatedBy: ctx.actor!.userId, updatedAt: now })
          .onConflictDoUpdate({
            target: trainingSubsidyRate.courseKind,
            set: { amountFen, updatedBy: ctx.actor!.userId, updatedAt: now },
          });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'training.subsidy_rate_set',
            objectType: 'training_subsidy_rate',
            objectId: courseKind,
            detail: { amountFen },
          },
          now,
        );
      });
      return rates();
    },

    /** The subsidy rates per course kind. */
    subsidyRates: () => rates(),

    /**
     * Per institution and period (Asia/Shanghai days, inclusive): enrolments, completions (certificates) and hours,
     * exam pass rate on the institution's exams, and the subsidy due (completions × rate of the course kind).
     * A training institution sees its own row; a regulator every institution of its district (or the city).
     */
    async subsidyReport(ctx: RequestContext, q: { from: string; to: string }) {
      const from = new Date(`${q.from}T00:00:00+08:00`);
      const to = new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000);
      if (!(from < to))
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'to', message: 'before from' }] });
      const a = ctx.actor!;
      let orgIds: string[];
      if (hasRole(a, 'regulator')) {
        orgIds = [];
        let cursor: string | undefined;
        do {
          const page = await orgs.publicOrganizations({
            type: 'training',
            limit: 100,
            ...(a.regulatorDistrict ? { district: a.regulatorDistrict } : {}),
            ...(cursor ? { cursor } : {}),
          });
          orgIds.push(...page.items.map((o) => o.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      } else orgIds = [institutionOf(ctx)];
      const rates = new Map(
        (await db.select().from(trainingSubsidyRate)).map((r) => [r.courseKind, r.amountFen]),
      );
      const items = [];
      for (const orgId of orgIds) {
        const org = await orgs.getOrganization(orgId);
        const [enr] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(trainingEnrolment)
          .innerJoin(trainingClass, eq(trainingClass.id, trainingEnrolment.classId))
          .where(
            and(
              eq(trainingClass.orgId, orgId),
              gte(trainingEnrolment.enrolledAt, from),
              lt(trainingEnrolment.enrolledAt, to),
            ),
          );
        const certs = await db
          .select({ kind: trainingCourse.kind, minutes: trainingCertificate.minutes })
          .from(trainingCertificate)
          .innerJoin(trainingCourse, eq(trainingCourse.id, trainingCertificate.courseId))
          .where(
            and(
              eq(trainingCertificate.orgId, orgId),
              gte(trainingCertificate.issuedAt, from),
              lt(trainingCertificate.issuedAt, to),
            ),
          );
        const [att] = await db
          .select({
            closed: sql<number>`count(*)::int`,
            passed: sql<number>`count(*) filter (where ${trainingAttempt.passed})::int`,
          })
          .from(trainingAttempt)
          .innerJoin(trainingExam, eq(trainingExam.id, trainingAttempt.examId))
          .where(
            and(
              eq(trainingExam.orgId, orgId),
              inArray(trainingAttempt.state, ['submitted', 'expired']),
              gte(trainingAttempt.startedAt, from),
              lt(trainingAttempt.startedAt, to),
            ),
          );
        const byKind = new Map<string, number>();
        for (const c of certs) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
        items.push({
          orgId,
          orgName: org?.name ?? '',
          enrolments: enr?.n ?? 0,
          completions: certs.length,
          hours: Math.round((certs.reduce((n, c) => n + c.minutes, 0) / 60) * 10) / 10,
          attempts: att?.closed ?? 0,
          passRate: att?.closed ? Math.round((att.passed / att.closed) * 1000) / 10 : null,
          amountFen: [...byKind].reduce((n, [k, count]) => n + count * (rates.get(k) ?? 0), 0),
          byKind: [...byKind].map(([courseKind, count]) => ({
            courseKind,
            count,
            rateFen: rates.get(courseKind) ?? 0,
          })),
        });
      }
      // The platform 岗前考试 belongs to no institution: the regulator sees its pass rate on its own.
      let preJob: { attempts: number; passRate: number | null } | null = null;
      if (hasRole(a, 'regulator')) {
        const [p] = await db
          .select({
            closed: sql<number>`count(*)::int`,
            passed: sql<number>`count(*) filter (where ${trainingAttempt.passed})::int`,
          })
          .from(trainingAttempt)
          .innerJoin(trainingExam, eq(trainingExam.id, trainingAttempt.examId))
          .where(
            and(
              isNull(trainingExam.orgId),
              eq(trainingExam.kind, 'pre_job'),
              inArray(trainingAttempt.state, ['submitted', 'expired']),
              gte(trainingAttempt.startedAt, from),
              lt(trainingAttempt.startedAt, to),
            ),
          );
        preJob = {
          attempts: p?.closed ?? 0,
          passRate: p?.closed ? Math.round((p.passed / p.closed) * 1000) / 10 : null,
        };
      }
      return {
        from: q.from,
        to: q.to,
        items,
        preJob,
        totals: {
          enrolments: items.reduce((n, i) => n + i.enrolments, 0),
          completions: items.reduce((n, i) => n + i.completions, 0),
          hours: Math.round(items.reduce((n, i) => n + i.hours, 0) * 10) / 10,
          amountFen: items.reduce((n, i) => n + i.amountFen, 0),
        },
      };
    },
  };

  // Helpers needing the closure --------------------------------------------------------------------------------

  async function insertLesson(
    ctx: RequestContext,
    courseId: string,
    values: Omit<typeof trainingLesson.$inferInsert, 'id' | 'courseId' | 'position'>,
    id = newId('lsn'),
  ) {
    const now = clock();
    await db.transaction(async (tx) => {
      // Serialise appends to one course so positions stay unique.
      await tx
        .select({ id: trainingCourse.id })
        .from(trainingCourse)
        .where(eq(trainingCourse.id, courseId))
        .for('update');
      const [last] = await tx
        .select({ p: sql<number>`coalesce(max(${trainingLesson.position}), 0)::int` })
        .from(trainingLesson)
        .where(eq(trainingLesson.courseId, courseId));
      await tx
        .insert(trainingLesson)
        .values({ ...values, id, courseId, position: (last?.p ?? 0) + 1, createdAt: now });
      await appendAudit(
        tx,
        ctx,
        {
          action: 'training.lesson_added',
          objectType: 'training_course',
          objectId: courseId,
          detail: { lessonId: id },
        },
        now,
      );
    });
    const [l] = await db.select().from(trainingLesson).where(eq(trainingLesson.id, id));
    return lessonView(l!);
  }

  async function insertQuestions(
    ctx: RequestContext,
    bankId: string,
    qs: QuestionInput[],
  ): Promise<string[]> {
    const now = clock();
    const rows = qs.map((q) => ({
      id: newId('qst'),
      bankId,
      type: q.type,
      stem: q.stem,
      options: q.options,
      answer: q.answer,
      category: q.category,
      level: q.level,
      topic: q.topic,
      difficulty: q.difficulty,
      explanation: q.explanation,
      createdAt: now,
    }));
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 500)
        await tx.insert(trainingQuestion).values(rows.slice(i, i + 500));
      await appendAudit(
        tx,
        ctx,
        {
          action: 'training.questions_added',
          objectType: 'training_bank',
          objectId: bankId,
          detail: { count: rows.length },
        },
        now,
      );
    });
    return rows.map((r) => r.id);
  }

  async function rates() {
    const rows = await db.select().from(trainingSubsidyRate).orderBy(asc(trainingSubsidyRate.courseKind));
    return {
      items: rows.map((r) => ({
        courseKind: r.courseKind,
        amountFen: r.amountFen,
        updatedAt: r.updatedAt.toISOString(),
      })),
    };
  }

  async function enrolledCount(q: DbOrTx, classId: string): Promise<number> {
    const [r] = await q
      .select({ n: sql<number>`count(*)::int` })
      .from(trainingEnrolment)
      .where(eq(trainingEnrolment.classId, classId));
    return r?.n ?? 0;
  }

  function classView(k: ClassRow) {
    return {
      id: k.id,
      courseId: k.courseId,
      orgId: k.orgId,
      title: k.title,
      startsOn: k.startsOn,
      endsOn: k.endsOn,
      minutesPerDay: k.minutesPerDay,
      venue: k.venue,
      lon: k.lon,
      lat: k.lat,
      capacity: k.capacity,
      state: k.state as 'open' | 'cancelled',
    };
  }

  function toPast(rows: AttemptRow[]): PastAttempt[] {
    return rows.map((r) => ({
      state: r.state as AttemptState,
      startedAt: r.startedAt,
      deadline: r.deadline,
      submittedAt: r.submittedAt,
      passed: r.passed,
    }));
  }
}

export type TrainingService = ReturnType<typeof createTrainingService>;
