export type QuestionType = 'single' | 'multiple' | 'true_false';

export interface Course {
  id: string;
  orgId: string;
  title: string;
  category: string;
  categoryLabel: string;
  kind: 'pre_job' | 'skill' | 'refresher';
  skillLevel: string | null;
  requiredMinutes: number;
  description: string | null;
  state: 'draft' | 'published' | 'archived';
  lessonCount: number;
  createdAt: string;
}

export interface Lesson {
  id: string;
  position: number;
  title: string;
  kind: 'text' | 'pdf' | 'video_file' | 'video_url';
  bodyHtml: string | null;
  url: string | null;
  fileUrl: string | null;
  minutes: number;
}

export interface CourseDetail {
  course: Course;
  institution: string;
  lessons: Lesson[];
  completedLessonIds: string[];
  minutesDone: number;
}

export interface Exam {
  id: string;
  orgId: string | null;
  courseId: string | null;
  bankId: string;
  kind: 'pre_job' | 'course';
  title: string;
  rules: { topic: string; difficulty: string; count: number }[];
  questionCount: number;
  timeLimitMinutes: number;
  passScore: number;
  maxAttempts: number;
  cooldownMinutes: number;
  state: 'draft' | 'published' | 'closed';
}

export interface MyExam extends Exam {
  attemptsUsed: number;
  bestScore: number | null;
  passed: boolean;
  openAttemptId: string | null;
  lastAttemptId: string | null;
  canStart: boolean;
  refusal: 'already_passed' | 'attempt_open' | 'limit_reached' | 'cooling_down' | null;
  retryAt: string | null;
}

export interface ClassView {
  id: string;
  courseId: string;
  orgId: string;
  title: string;
  startsOn: string;
  endsOn: string;
  minutesPerDay: number;
  venue: string;
  lon: number | null;
  lat: number | null;
  capacity: number;
  state: 'open' | 'cancelled';
}

export interface TrainingCertificate {
  id: string;
  number: string;
  courseId: string;
  courseTitle: string;
  institution: string;
  minutes: number;
  score: number;
  issuedAt: string;
  verifyUrl: string;
  pdfUrl: string;
}

export interface MyTraining {
  exams: MyExam[];
  courses: (Course & { minutesDone: number })[];
  classes: (ClassView & { enrolled: boolean })[];
  certificates: TrainingCertificate[];
}

export interface Breakdown {
  topic: string;
  topicLabel: string;
  earned: number;
  total: number;
}

export interface Attempt {
  id: string;
  examId: string;
  examTitle: string;
  state: 'open' | 'submitted' | 'expired';
  startedAt: string;
  deadline: string;
  serverNow: string;
  submittedAt: string | null;
  passScore: number;
  answers: Record<string, number[]>;
  questions: {
    id: string;
    type: QuestionType;
    stem: string;
    options: string[];
    topic: string;
    topicLabel: string;
    correct: number[] | null;
    explanation: string | null;
  }[];
  result: { score: number; passed: boolean; breakdown: Breakdown[] } | null;
}

export interface Bank {
  id: string;
  name: string;
  orgId: string | null;
  questionCount: number;
}

export interface SubsidyReport {
  from: string;
  to: string;
  items: {
    orgId: string;
    orgName: string;
    enrolments: number;
    completions: number;
    hours: number;
    attempts: number;
    passRate: number | null;
    amountFen: number;
    byKind: { courseKind: string; count: number; rateFen: number }[];
  }[];
  totals: { enrolments: number; completions: number; hours: number; amountFen: number };
  /** Regulators only: the platform 岗前考试 in the period. */
  preJob: { attempts: number; passRate: number | null } | null;
}

export interface ClassDetail {
  class: ClassView & { enrolledCount: number };
  checkinUrl: string;
  trainees: { workerId: string; name: string; enrolledAt: string; days: string[]; minutes: number }[];
}

export interface ExamResult {
  id: string;
  workerId: string;
  workerName: string;
  state: 'open' | 'submitted' | 'expired';
  startedAt: string;
  submittedAt: string | null;
  score: number;
  passed: boolean;
  breakdown: Breakdown[];
}
