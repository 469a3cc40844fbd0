import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';

/**
 * A course of a training institution. `worker_id` columns below name workers of the workers module (no foreign
 * key: that module owns its table). `kind` selects the subsidy rate; `state` follows course-status.ts.
 */
export const trainingCourse = pgTable(
  'training_course',
  {
    id: idColumn(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    title: text('title').notNull(),
    /** A training category code, see categories.ts. */
    category: text('category').notNull(),
    /** 'pre_job' | 'skill' | 'refresher' — what the regulator's subsidy rate is set per. */
    kind: text('kind').notNull(),
    skillLevel: text('skill_level'),
    requiredMinutes: integer('required_minutes').notNull(),
    description: text('description'),
    state: text('state').notNull(),
    createdBy: text('created_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [index('training_course_org_idx').on(t.orgId, t.id), index('training_course_state_idx').on(t.state)],
);

/** One lesson: sanitized rich text, a stored PDF or video file, or a video URL. */
export const trainingLesson = pgTable(
  'training_lesson',
  {
    id: idColumn(),
    courseId: text('course_id')
      .notNull()
      .references(() => trainingCourse.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    /** 'text' | 'pdf' | 'video_file' | 'video_url' */
    kind: text('kind').notNull(),
    bodyHtml: text('body_html'),
    fileKey: text('file_key'),
    fileMime: text('file_mime'),
    fileSize: integer('file_size'),
    url: text('url'),
    minutes: integer('minutes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('training_lesson_position_uq').on(t.courseId, t.position)],
);

/** A worker finished an online lesson. */
export const trainingLessonProgress = pgTable(
  'training_lesson_progress',
  {
    workerId: text('worker_id').notNull(),
    lessonId: text('lesson_id')
      .notNull()
      .references(() => trainingLesson.id),
    completedAt: tstz('completed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.lessonId] })],
);

/** A question bank; `org_id` null is the regulator's platform bank (the 岗前考试's). */
export const trainingQuestionBank = pgTable(
  'training_question_bank',
  {
    id: idColumn(),
    orgId: text('org_id').references(() => organization.id),
    name: text('name').notNull(),
    createdBy: text('created_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [index('training_question_bank_org_idx').on(t.orgId)],
);

/** A question; `answer` holds the indices of the correct options and never leaves the server before grading. */
export const trainingQuestion = pgTable(
  'training_question',
  {
    id: idColumn(),
    bankId: text('bank_id')
      .notNull()
      .references(() => trainingQuestionBank.id),
    /** 'single' | 'multiple' | 'true_false' */
    type: text('type').notNull(),
    stem: text('stem').notNull(),
    options: text('options').array().notNull(),
    answer: integer('answer').array().notNull(),
    category: text('category').notNull(),
    level: text('level'),
    topic: text('topic').notNull(),
    /** 'easy' | 'medium' | 'hard' */
    difficulty: text('difficulty').notNull(),
    explanation: text('explanation'),
    createdAt: createdAt(),
  },
  (t) => [index('training_question_draw_idx').on(t.bankId, t.topic, t.difficulty)],
);

/** An exam: a paper drawn by rules from one bank, a server-enforced time limit, a pass mark and retake rules. */
export const trainingExam = pgTable(
  'training_exam',
  {
    id: idColumn(),
    /** null: configured by the regulator for the whole platform (the 岗前考试). */
    orgId: text('org_id').references(() => organization.id),
    courseId: text('course_id').references(() => trainingCourse.id),
    bankId: text('bank_id')
      .notNull()
      .references(() => trainingQuestionBank.id),
    /** 'pre_job' (feeds the certificate's training check) | 'course' */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** [{ topic, difficulty, count }] — see draw.ts. */
    rules: jsonb('rules').$type<{ topic: string; difficulty: string; count: number }[]>().notNull(),
    timeLimitMinutes: integer('time_limit_minutes').notNull(),
    passScore: integer('pass_score').notNull(),
    maxAttempts: integer('max_attempts').notNull(),
    cooldownMinutes: integer('cooldown_minutes').notNull(),
    /** 'draft' | 'published' | 'closed' */
    state: text('state').notNull(),
    createdBy: text('created_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [index('training_exam_org_idx').on(t.orgId, t.id)],
);

/** One sitting of an exam: the drawn paper, the deadline, the answers and, once closed, the grade. */
export const trainingAttempt = pgTable(
  'training_attempt',
  {
    id: idColumn(),
    examId: text('exam_id')
      .notNull()
      .references(() => trainingExam.id),
    workerId: text('worker_id').notNull(),
    seed: text('seed').notNull(),
    questionIds: text('question_ids').array().notNull(),
    answers: jsonb('answers').$type<Record<string, number[]>>().notNull(),
    /** 'open' | 'submitted' | 'expired' — see attempt-status.ts. */
    state: text('state').notNull(),
    startedAt: tstz('started_at').notNull(),
    deadline: tstz('deadline').notNull(),
    submittedAt: tstz('submitted_at'),
    score: integer('score'),
    passed: boolean('passed'),
    breakdown: jsonb('breakdown').$type<{ topic: string; earned: number; total: number }[]>(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('training_attempt_open_uq').on(t.examId, t.workerId).where(sql`${t.state} = 'open'`),
    index('training_attempt_worker_idx').on(t.workerId, t.examId, t.startedAt),
    index('training_attempt_exam_idx').on(t.examId, t.id),
  ],
);

/** An offline class (班次) of a course: schedule, venue, capacity, check-in secret. */
export const trainingClass = pgTable(
  'training_class',
  {
    id: idColumn(),
    courseId: text('course_id')
      .notNull()
      .references(() => trainingCourse.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    title: text('title').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** Hours credited for one day's check-in, in minutes. */
    minutesPerDay: integer('minutes_per_day').notNull(),
    venue: text('venue').notNull(),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    capacity: integer('capacity').notNull(),
    /** Secret in the venue's QR code; rotating it invalidates printed codes. */
    checkinToken: text('checkin_token').notNull(),
    /** 'open' | 'cancelled' */
    state: text('state').notNull(),
    ...timestamps(),
  },
  (t) => [
    index('training_class_org_idx').on(t.orgId, t.id),
    uniqueIndex('training_class_checkin_uq').on(t.checkinToken),
  ],
);

export const trainingEnrolment = pgTable(
  'training_enrolment',
  {
    classId: text('class_id')
      .notNull()
      .references(() => trainingClass.id),
    workerId: text('worker_id').notNull(),
    enrolledAt: tstz('enrolled_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.classId, t.workerId] }),
    index('training_enrolment_worker_idx').on(t.workerId),
  ],
);

/** One check-in per worker, class and (Asia/Shanghai) day; each credits the class's minutes per day. */
export const trainingAttendance = pgTable(
  'training_attendance',
  {
    classId: text('class_id')
      .notNull()
      .references(() => trainingClass.id),
    workerId: text('worker_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    checkedInAt: tstz('checked_in_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.workerId, t.day] })],
);

/** A training certificate, issued once per worker and course on completion (hours + exam passed). */
export const trainingCertificate = pgTable(
  'training_certificate',
  {
    id: idColumn(),
    number: text('number').notNull(),
    workerId: text('worker_id').notNull(),
    courseId: text('course_id')
      .notNull()
      .references(() => trainingCourse.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    attemptId: text('attempt_id').references(() => trainingAttempt.id),
    minutes: integer('minutes').notNull(),
    score: integer('score').notNull(),
    /** Random secret in the QR code (base64url, 22 characters). */
    verifyToken: text('verify_token').notNull(),
    issuedAt: tstz('issued_at').notNull(),
  },
  (t) => [
    uniqueIndex('training_certificate_number_uq').on(t.number),
    uniqueIndex('training_certificate_token_uq').on(t.verifyToken),
    uniqueIndex('training_certificate_worker_course_uq').on(t.workerId, t.courseId),
    index('training_certificate_org_idx').on(t.orgId, t.issuedAt),
  ],
);

/** Per course kind, the subsidy paid per trainee who completes, in fen; set by the regulator. */
export const trainingSubsidyRate = pgTable('training_subsidy_rate', {
  courseKind: text('course_kind').primaryKey(),
  amountFen: integer('amount_fen').notNull(),
  updatedBy: text('updated_by').references(() => user.id),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Per year, the last training certificate sequence number (gap-free per year). */
export const trainingCertificateSeq = pgTable('training_certificate_seq', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});
