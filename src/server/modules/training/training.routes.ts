import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { skillLevelCodes } from '../../../shared/domain.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { attemptStates } from './attempt-status.js';
import {
  courseKinds,
  difficulties,
  questionTopicCodes,
  questionTypes,
  trainingCategoryCodes,
} from './categories.js';
import { courseStates, examStates } from './course-status.js';
import { MAX_VIDEO_BYTES, type TrainingService } from './training.service.js';
import { renderTrainingInvalidPage, renderTrainingVerifyPage } from './verify-page.js';

const id = z.string().min(1).max(40);
const idParam = z.strictObject({ id });
// A calendar date: `8334-72-18` matches the pattern but PostgreSQL refuses it (a 500 the fuzz suite found).
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    // PostgreSQL has no year 0.
    return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
const page = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const course = z.object({
  id: z.string(),
  orgId: z.string(),
  title: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  kind: z.enum(courseKinds),
  skillLevel: z.string().nullable(),
  requiredMinutes: z.number(),
  description: z.string().nullable(),
  state: z.enum(courseStates),
  lessonCount: z.number(),
  createdAt: z.string(),
});
const courseBody = z.strictObject({
  title: z.string().trim().min(1).max(100),
  category: z.enum(trainingCategoryCodes),
  kind: z.enum(courseKinds),
  skillLevel: z.enum(skillLevelCodes).nullable().optional(),
  requiredMinutes: z.number().int().min(0).max(100_000),
  description: z.string().trim().max(2000).nullable().optional(),
});
const lesson = z.object({
  id: z.string(),
  position: z.number(),
  title: z.string(),
  kind: z.enum(['text', 'pdf', 'video_file', 'video_url']),
  bodyHtml: z.string().nullable(),
  url: z.string().nullable(),
  fileUrl: z.string().nullable(),
  minutes: z.number(),
});
const minutes = z.coerce.number().int().min(1).max(1440);
const lessonBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('text'),
    title: z.string().trim().min(1).max(100),
    bodyHtml: z.string().min(1).max(100_000),
    minutes,
  }),
  z.strictObject({
    kind: z.literal('video_url'),
    title: z.string().trim().min(1).max(100),
    url: z.string().url().max(1000),
    minutes,
  }),
]);
const bank = z.object({
  id: z.string(),
  name: z.string(),
  orgId: z.string().nullable(),
  questionCount: z.number(),
});
const question = z.object({
  id: z.string(),
  type: z.enum(questionTypes),
  stem: z.string(),
  options: z.array(z.string()),
  answer: z.array(z.number()),
  category: z.string(),
  level: z.string().nullable(),
  topic: z.string(),
  difficulty: z.enum(difficulties),
  explanation: z.string().nullable(),
});
const questionBody = z.strictObject({
  type: z.enum(questionTypes),
  stem: z.string().trim().min(1).max(1000),
  options: z.array(z.string().trim().min(1).max(300)).max(6).default([]),
  answer: z.array(z.number().int().min(0).max(5)).min(1).max(6),
  category: z.enum(trainingCategoryCodes),
  level: z.enum(skillLevelCodes).nullable().default(null),
  topic: z.enum(questionTopicCodes),
  difficulty: z.enum(difficulties),
  explanation: z.string().trim().max(1000).nullable().default(null),
});
const rule = z.strictObject({
  topic: z.enum(questionTopicCodes),
  difficulty: z.enum(difficulties),
  count: z.number().int().min(1).max(100),
});
const exam = z.object({
  id: z.string(),
  orgId: z.string().nullable(),
  courseId: z.string().nullable(),
  bankId: z.string(),
  kind: z.enum(['pre_job', 'course']),
  title: z.string(),
  rules: z.array(z.object({ topic: z.string(), difficulty: z.string(), count: z.number() })),
  questionCount: z.number(),
  timeLimitMinutes: z.number(),
  passScore: z.number(),
  maxAttempts: z.number(),
  cooldownMinutes: z.number(),
  state: z.enum(examStates),
});
const examBody = z.strictObject({
  title: z.string().trim().min(1).max(100),
  bankId: id,
  courseId: id.nullable().optional(),
  kind: z.enum(['pre_job', 'course']),
  rules: z.array(rule).min(1).max(30),
  timeLimitMinutes: z.number().int().min(1).max(600),
  passScore: z.number().int().min(1).max(100),
  maxAttempts: z.number().int().min(1).max(20),
  cooldownMinutes: z.number().int().min(0).max(43_200),
});
const breakdown = z.array(
  z.object({ topic: z.string(), topicLabel: z.string(), earned: z.number(), total: z.number() }),
);
const attempt = z.object({
  id: z.string(),
  examId: z.string(),
  examTitle: z.string(),
  state: z.enum(attemptStates),
  startedAt: z.string(),
  deadline: z.string(),
  serverNow: z.string(),
  submittedAt: z.string().nullable(),
  passScore: z.number(),
  answers: z.record(z.string(), z.array(z.number())),
  questions: z.array(
    z.object({
      id: z.string(),
      type: z.enum(questionTypes),
      stem: z.string(),
      options: z.array(z.string()),
      topic: z.string(),
      topicLabel: z.string(),
      correct: z.array(z.number()).nullable(),
      explanation: z.string().nullable(),
    }),
  ),
  result: z.object({ score: z.number(), passed: z.boolean(), breakdown }).nullable(),
});
const answersBody = z.strictObject({
  answers: z.record(z.string().max(40), z.array(z.number().int().min(0).max(5)).max(6)),
});
const classView = z.object({
  id: z.string(),
  courseId: z.string(),
  orgId: z.string(),
  title: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  minutesPerDay: z.number(),
  venue: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  capacity: z.number(),
  state: z.enum(['open', 'cancelled']),
});
const classBody = z.strictObject({
  courseId: id,
  title: z.string().trim().min(1).max(100),
  startsOn: isoDate,
  endsOn: isoDate,
  minutesPerDay: z.number().int().min(30).max(720),
  venue: z.string().trim().min(1).max(200),
  lon: z.number().min(73).max(136).nullable().optional(),
  lat: z.number().min(3).max(54).nullable().optional(),
  capacity: z.number().int().min(1).max(1000),
});
const certificate = z.object({
  id: z.string(),
  number: z.string(),
  courseId: z.string(),
  courseTitle: z.string(),
  institution: z.string(),
  minutes: z.number(),
  score: z.number(),
  issuedAt: z.string(),
  verifyUrl: z.string(),
  pdfUrl: z.string(),
});
const rates = z.object({
  items: z.array(z.object({ courseKind: z.string(), amountFen: z.number(), updatedAt: z.string() })),
});
const report = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      enrolments: z.number(),
      completions: z.number(),
      hours: z.number(),
      attempts: z.number(),
      passRate: z.number().nullable(),
      amountFen: z.number(),
      byKind: z.array(z.object({ courseKind: z.string(), count: z.number(), rateFen: z.number() })),
    }),
  ),
  totals: z.object({
    enrolments: z.number(),
    completions: z.number(),
    hours: z.number(),
    amountFen: z.number(),
  }),
  preJob: z.object({ attempts: z.number(), passRate: z.number().nullable() }).nullable(),
});
const period = z.strictObject({ from: isoDate, to: isoDate });

/** Reads one file and its text fields from a multipart request. */
async function readUpload(req: FastifyRequest) {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data with a file' });
  const fields: Record<string, string> = {};
  let file: { data: Buffer; filename: string } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (file) {
          await part.toBuffer();
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'file', message: 'one file per request' }],
          });
        }
        file = { data: await part.toBuffer(), filename: part.filename };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FILE_TOO_LARGE');
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'too many parts' }] });
    throw new AppError('MALFORMED_REQUEST', { cause: e });
  }
  if (!file)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'a file is required' }] });
  return { file, fields };
}

const staff = { authz: { roles: ['training_staff'] as const } };
const staffOrRegulator = { authz: { roles: ['training_staff', 'regulator'] as const } };
const workerOnly = { authz: { roles: ['worker'] as const } };
const regulator = { authz: { roles: ['regulator'] as const } };

/** /api/v1 routes of training: institution console, question banks, exams, the worker's learning and exams, reports. */
export function trainingRoutes(svc: TrainingService) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, {
      limits: { fileSize: MAX_VIDEO_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['training'];

    // Courses and lessons (institution)
    r.get('/training/courses', {
      config: staff,
      schema: {
        tags,
        summary: "My institution's courses",
        response: { 200: z.object({ items: z.array(course) }) },
      },
      handler: async (req) => svc.listCourses(contextOf(req)),
    });
    r.post('/training/courses', {
      config: staff,
      schema: { tags, summary: 'Create a draft course', body: courseBody, response: { 201: course } },
      handler: async (req, reply) => reply.status(201).send(await svc.createCourse(contextOf(req), req.body)),
    });
    r.get('/training/courses/:id', {
      config: { authz: { roles: 'any' as const } },
      schema: {
        tags,
        summary: 'A course with its lessons (drafts only for its institution) and my progress',
        params: idParam,
        response: {
          200: z.object({
            course,
            institution: z.string(),
            lessons: z.array(lesson),
            completedLessonIds: z.array(z.string()),
            minutesDone: z.number(),
          }),
        },
      },
      handler: async (req) => svc.getCourse(contextOf(req), req.params.id),
    });
    r.patch('/training/courses/:id', {
      config: staff,
      schema: {
        tags,
        summary: 'Edit a course of my institution',
        params: idParam,
        body: courseBody.partial(),
        response: { 200: course },
      },
      handler: async (req) => svc.updateCourse(contextOf(req), req.params.id, req.body),
    });
    r.post('/training/courses/:id/:action', {
      config: staff,
      schema: {
        tags,
        summary: 'Publish or archive a course',
        params: z.strictObject({ id, action: z.enum(['publish', 'archive']) }),
        response: { 200: course },
      },
      handler: async (req) => svc.courseAction(contextOf(req), req.params.id, req.params.action),
    });
    r.post('/training/courses/:id/lessons', {
      config: staff,
      schema: {
        tags,
        summary: 'Add a rich-text (sanitized) or video-URL lesson',
        params: idParam,
        body: lessonBody,
        response: { 201: lesson },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.addLesson(contextOf(req), req.params.id, req.body)),
    });
    r.post('/training/courses/:id/lesson-files', {
      config: staff,
      schema: {
        tags,
        summary: 'Add a PDF or video-file lesson (multipart: file, title, minutes)',
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 201: lesson },
      },
      handler: async (req, reply) => {
        const { file, fields } = await readUpload(req);
        const parsed = z
          .strictObject({ title: z.string().trim().min(1).max(100), minutes })
          .safeParse(fields);
        if (!parsed.success)
          throw new AppError('VALIDATION_FAILED', {
            issues: parsed.error.issues.map((i) => ({
              path: i.path.join('.') || 'fields',
              message: i.message,
            })),
          });
        return reply
          .status(201)
          .send(await svc.addLessonFile(contextOf(req), req.params.id, file, parsed.data));
      },
    });
    r.get('/training/lessons/:id/file', {
      config: { authz: { roles: 'any' as const } },
      schema: { tags, summary: "A lesson's PDF or video", params: idParam },
      handler: async (req, reply) => {
        const f = await svc.lessonFile(contextOf(req), req.params.id);
        return reply.type(f.mime).header('content-disposition', 'inline').send(f.data);
      },
    });

    // Question banks
    r.get('/training/banks', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Question banks of my institution (or the platform, for a regulator)',
        response: { 200: z.object({ items: z.array(bank) }) },
      },
      handler: async (req) => svc.listBanks(contextOf(req)),
    });
    r.post('/training/banks', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Create a question bank',
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 201: bank },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createBank(contextOf(req), req.body)),
    });
    r.get('/training/banks/:id/questions', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Questions of a bank, with answers (owners only)',
        params: idParam,
        querystring: page.extend({ topic: z.enum(questionTopicCodes).optional() }),
        response: { 200: z.object({ items: z.array(question), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => svc.listQuestions(contextOf(req), req.params.id, req.query),
    });
    r.post('/training/banks/:id/questions', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Add a question',
        params: idParam,
        body: questionBody,
        response: { 201: z.object({ id: z.string() }) },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.addQuestion(contextOf(req), req.params.id, req.body)),
    });
    r.post('/training/banks/:id/import', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Import questions from .xlsx or .csv (multipart: file); any bad row imports nothing',
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 201: z.object({ imported: z.number() }) },
      },
      handler: async (req, reply) => {
        const { file } = await readUpload(req);
        return reply.status(201).send(await svc.importQuestions(contextOf(req), req.params.id, file));
      },
    });

    // Exams
    r.get('/training/exams', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Exams of my institution (or the platform)',
        response: { 200: z.object({ items: z.array(exam) }) },
      },
      handler: async (req) => svc.listExams(contextOf(req)),
    });
    r.post('/training/exams', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Create a draft exam with drawing rules',
        body: examBody,
        response: { 201: exam },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createExam(contextOf(req), req.body)),
    });
    r.post('/training/exams/:id/:action', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Publish or close an exam',
        params: z.strictObject({ id, action: z.enum(['publish', 'close']) }),
        response: { 200: exam },
      },
      handler: async (req) => svc.examAction(contextOf(req), req.params.id, req.params.action),
    });
    r.get('/training/exams/:id/results', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary: 'Closed attempts of an exam with per-topic breakdown',
        params: idParam,
        querystring: page,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                workerId: z.string(),
                workerName: z.string(),
                state: z.enum(attemptStates),
                startedAt: z.string(),
                submittedAt: z.string().nullable(),
                score: z.number(),
                passed: z.boolean(),
                breakdown,
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
      handler: async (req) => svc.examResults(contextOf(req), req.params.id, req.query),
    });

    // Classes
    r.get('/training/classes', {
      config: staff,
      schema: {
        tags,
        summary: "My institution's classes",
        response: { 200: z.object({ items: z.array(classView.extend({ enrolledCount: z.number() })) }) },
      },
      handler: async (req) => svc.listClasses(contextOf(req)),
    });
    r.post('/training/classes', {
      config: staff,
      schema: {
        tags,
        summary: 'Schedule a class',
        body: classBody,
        response: { 201: classView.extend({ enrolledCount: z.number() }) },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createClass(contextOf(req), req.body)),
    });
    r.get('/training/classes/:id', {
      config: staff,
      schema: {
        tags,
        summary: 'A class with roster, attendance and the check-in URL',
        params: idParam,
        response: {
          200: z.object({
            class: classView.extend({ enrolledCount: z.number() }),
            checkinUrl: z.string(),
            trainees: z.array(
              z.object({
                workerId: z.string(),
                name: z.string(),
                enrolledAt: z.string(),
                days: z.array(z.string()),
                minutes: z.number(),
              }),
            ),
          }),
        },
      },
      handler: async (req) => svc.classDetail(contextOf(req), req.params.id),
    });
    r.get('/training/classes/:id/qr.svg', {
      config: staff,
      schema: { tags, summary: 'The check-in QR code to show at the venue (SVG)', params: idParam },
      handler: async (req, reply) =>
        reply.type('image/svg+xml').send(await svc.classQr(contextOf(req), req.params.id)),
    });

    // Records, certificates, subsidies
    r.get('/training/records', {
      config: staff,
      schema: {
        tags,
        summary: 'Training certificates my institution issued',
        querystring: page,
        response: {
          200: z.object({
            items: z.array(certificate.extend({ workerId: z.string(), workerName: z.string() })),
            nextCursor: z.string().nullable(),
          }),
        },
      },
      handler: async (req) => svc.listRecords(contextOf(req), req.query),
    });
    r.get('/training/certificates/:id/pdf', {
      config: { authz: { roles: ['worker', 'training_staff'] as const } },
      schema: {
        tags,
        summary: 'A training certificate as PDF (its worker or issuing institution)',
        params: idParam,
      },
      handler: async (req, reply) => {
        const c = await svc.certificatePdf(contextOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${c.number}.pdf"`)
          .send(c.pdf);
      },
    });
    r.get('/training/subsidies', {
      config: staffOrRegulator,
      schema: {
        tags,
        summary:
          'Subsidy report for a period: my institution, or every institution of my district (regulator)',
        querystring: period,
        response: { 200: report },
      },
      handler: async (req) => svc.subsidyReport(contextOf(req), req.query),
    });
    r.get('/training/subsidy-rates', {
      config: staffOrRegulator,
      schema: { tags, summary: 'Per-trainee subsidy per course kind (fen)', response: { 200: rates } },
      handler: async () => svc.subsidyRates(),
    });
    r.put('/regulator/training/subsidy-rates/:kind', {
      config: regulator,
      schema: {
        tags,
        summary: 'Set the per-trainee subsidy of a course kind (fen)',
        params: z.strictObject({ kind: z.enum(courseKinds) }),
        body: z.strictObject({ amountFen: z.number().int().min(0).max(10_000_000) }),
        response: { 200: rates },
      },
      handler: async (req) => svc.setSubsidyRate(contextOf(req), req.params.kind, req.body.amountFen),
    });

    // Worker
    r.get('/workers/me/training', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'My exams, courses, classes and training certificates',
        response: {
          200: z.object({
            exams: z.array(
              exam.extend({
                attemptsUsed: z.number(),
                bestScore: z.number().nullable(),
                passed: z.boolean(),
                openAttemptId: z.string().nullable(),
                lastAttemptId: z.string().nullable(),
                canStart: z.boolean(),
                refusal: z
                  .enum(['already_passed', 'attempt_open', 'limit_reached', 'cooling_down'])
                  .nullable(),
                retryAt: z.string().nullable(),
              }),
            ),
            courses: z.array(course.extend({ minutesDone: z.number() })),
            classes: z.array(classView.extend({ enrolled: z.boolean() })),
            certificates: z.array(certificate),
          }),
        },
      },
      handler: async (req) => svc.myTraining(contextOf(req)),
    });
    r.post('/workers/me/training/lessons/:id/complete', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Mark an online lesson finished',
        params: idParam,
        response: {
          200: z.object({ lessonId: z.string(), completed: z.boolean(), minutesDone: z.number() }),
        },
      },
      handler: async (req) => svc.completeLesson(contextOf(req), req.params.id),
    });
    r.post('/workers/me/training/classes/:id/enrol', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Enrol in a class',
        params: idParam,
        response: { 200: z.object({ classId: z.string(), enrolled: z.boolean() }) },
      },
      handler: async (req) => svc.enrol(contextOf(req), req.params.id),
    });
    r.post('/workers/me/training/checkin', {
      config: workerOnly,
      schema: {
        tags,
        summary: "Check in at a class with the venue's QR token",
        body: z.strictObject({ token: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            classId: z.string(),
            classTitle: z.string(),
            day: z.string(),
            alreadyCheckedIn: z.boolean(),
            minutes: z.number(),
          }),
        },
      },
      handler: async (req) => svc.checkIn(contextOf(req), req.body.token),
    });
    r.post('/workers/me/training/exams/:id/attempts', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Start an attempt: the drawn paper, without answers, and the server deadline',
        params: idParam,
        response: { 201: attempt },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.startAttempt(contextOf(req), req.params.id)),
    });
    r.get('/workers/me/training/attempts/:id', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'My attempt: the paper while open, the graded review once closed',
        params: idParam,
        response: { 200: attempt },
      },
      handler: async (req) => svc.getAttempt(contextOf(req), req.params.id),
    });
    r.put('/workers/me/training/attempts/:id/answers', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Save answers so far (refused after the deadline)',
        params: idParam,
        body: answersBody,
        response: { 200: z.object({ saved: z.number(), deadline: z.string(), serverNow: z.string() }) },
      },
      handler: async (req) => svc.saveAnswers(contextOf(req), req.params.id, req.body.answers),
    });
    r.post('/workers/me/training/attempts/:id/submit', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Submit and grade (refused after the deadline: TRAINING_ATTEMPT_EXPIRED)',
        params: idParam,
        body: answersBody,
        response: { 200: attempt },
      },
      handler: async (req) => svc.submitAttempt(contextOf(req), req.params.id, req.body.answers),
    });

    // Public verification of a training certificate's QR code (same data as the /vt/ page)
    r.get('/public/training-certificates/:token', {
      config: {
        authz: { public: "a training certificate's QR code is made to be scanned by anyone" },
        rateLimit: { max: 120, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        summary: 'Verify a training certificate by its QR token',
        params: z.strictObject({ token: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            number: z.string(),
            maskedName: z.string(),
            courseTitle: z.string(),
            category: z.string(),
            institution: z.string(),
            hours: z.string(),
            score: z.number(),
            issuedOn: z.string(),
          }),
        },
      },
      handler: async (req) => {
        const v = await svc.verifyCertificate(req.params.token);
        if (!v) throw new AppError('NOT_FOUND');
        return v;
      },
    });
  };
}

/** The page a training certificate's QR code opens: `/vt/:token`, server-rendered like `/v/:token`. */
export function trainingVerifyPageRoutes(svc: TrainingService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/vt/:token', {
      config: {
        authz: { public: "a training certificate's QR code is made to be scanned by anyone" },
        rateLimit: { max: 120, timeWindow: '1 minute' },
      },
      schema: { hide: true, params: z.strictObject({ token: z.string().min(1).max(100) }) },
      attachValidation: true,
      handler: async (req, reply) => {
        const v = req.validationError ? null : await svc.verifyCertificate(req.params.token);
        return reply
          .status(v ? 200 : 404)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(v ? renderTrainingVerifyPage(v) : renderTrainingInvalidPage());
      },
    });
  };
}
