import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import {
  trainingAttempt,
  trainingAttendance,
  trainingClass,
  trainingCourse,
  trainingEnrolment,
  trainingExam,
  trainingLesson,
  trainingLessonProgress,
} from './training.tables.js';

/** The worker's training progress for the e-file export: class enrolments, check-ins, finished lessons, open exams. */
export interface TrainingProgressFacts {
  /** `ref` is the class id (an enrolment is keyed by class and worker). */
  enrolments: { ref: string; classTitle: string; courseTitle: string; enrolledAt: string }[];
  /** `ref` is `classId/day` (one check-in per class and Asia/Shanghai day). */
  attendance: { ref: string; classTitle: string; day: string; minutes: number; checkedInAt: string }[];
  /** `ref` is the lesson id. */
  lessons: { ref: string; lessonTitle: string; courseTitle: string; completedAt: string }[];
  /** Attempts still open (closed ones are the e-file's exam results). */
  openAttempts: { id: string; examTitle: string; startedAt: string; deadline: string }[];
}

/** Every training-progress row naming the worker (PIPL Art 45: the export carries each by its key). */
export async function trainingProgressOf(db: DbOrTx, workerId: string): Promise<TrainingProgressFacts> {
  const [enrolments, attendance, lessons, open] = await Promise.all([
    db
      .select({ e: trainingEnrolment, classTitle: trainingClass.title, courseTitle: trainingCourse.title })
      .from(trainingEnrolment)
      .innerJoin(trainingClass, eq(trainingClass.id, trainingEnrolment.classId))
      .innerJoin(trainingCourse, eq(trainingCourse.id, trainingClass.courseId))
      .where(eq(trainingEnrolment.workerId, workerId))
      .orderBy(desc(trainingEnrolment.enrolledAt)),
    db
      .select({ a: trainingAttendance, classTitle: trainingClass.title })
      .from(trainingAttendance)
      .innerJoin(trainingClass, eq(trainingClass.id, trainingAttendance.classId))
      .where(eq(trainingAttendance.workerId, workerId))
      .orderBy(desc(trainingAttendance.day)),
    db
      .select({
        p: trainingLessonProgress,
        lessonTitle: trainingLesson.title,
        courseTitle: trainingCourse.title,
      })
      .from(trainingLessonProgress)
      .innerJoin(trainingLesson, eq(trainingLesson.id, trainingLessonProgress.lessonId))
      .innerJoin(trainingCourse, eq(trainingCourse.id, trainingLesson.courseId))
      .where(eq(trainingLessonProgress.workerId, workerId))
      .orderBy(desc(trainingLessonProgress.completedAt)),
    db
      .select({ a: trainingAttempt, examTitle: trainingExam.title })
      .from(trainingAttempt)
      .innerJoin(trainingExam, eq(trainingExam.id, trainingAttempt.examId))
      .where(and(eq(trainingAttempt.workerId, workerId), eq(trainingAttempt.state, 'open')))
      .orderBy(desc(trainingAttempt.startedAt)),
  ]);
  return {
    enrolments: enrolments.map(({ e, classTitle, courseTitle }) => ({
      ref: e.classId,
      classTitle,
      courseTitle,
      enrolledAt: e.enrolledAt.toISOString(),
    })),
    attendance: attendance.map(({ a, classTitle }) => ({
      ref: `${a.classId}/${a.day}`,
      classTitle,
      day: a.day,
      minutes: a.minutes,
      checkedInAt: a.checkedInAt.toISOString(),
    })),
    lessons: lessons.map(({ p, lessonTitle, courseTitle }) => ({
      ref: p.lessonId,
      lessonTitle,
      courseTitle,
      completedAt: p.completedAt.toISOString(),
    })),
    openAttempts: open.map(({ a, examTitle }) => ({
      id: a.id,
      examTitle,
      startedAt: a.startedAt.toISOString(),
      deadline: a.deadline.toISOString(),
    })),
  };
}
