import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { problemToApiError } from '../../shared/api/client';
import { getLocale } from '../../shared/i18n';
import type {
  Attempt,
  Bank,
  ClassDetail,
  ClassView,
  Course,
  CourseDetail,
  Exam,
  ExamResult,
  MyTraining,
  SubsidyReport,
  TrainingCertificate,
} from './training.types';

export const trainingKeys = {
  all: ['training'] as const,
  mine: () => [...trainingKeys.all, 'mine'] as const,
  course: (id: string) => [...trainingKeys.all, 'course', id] as const,
  attempt: (id: string) => [...trainingKeys.all, 'attempt', id] as const,
  courses: () => [...trainingKeys.all, 'courses'] as const,
  classes: () => [...trainingKeys.all, 'classes'] as const,
  class: (id: string) => [...trainingKeys.all, 'class', id] as const,
  banks: () => [...trainingKeys.all, 'banks'] as const,
  exams: () => [...trainingKeys.all, 'exams'] as const,
  results: (id: string) => [...trainingKeys.all, 'results', id] as const,
  records: () => [...trainingKeys.all, 'records'] as const,
  report: (from: string, to: string) => [...trainingKeys.all, 'report', from, to] as const,
  rates: () => [...trainingKeys.all, 'rates'] as const,
};

const enc = encodeURIComponent;

// Worker ---------------------------------------------------------------------------------------------------------

/** My exams (with attempt status), courses with progress, classes and training certificates. */
export function useMyTraining() {
  return useQuery({
    queryKey: trainingKeys.mine(),
    queryFn: ({ signal }) => api.get<MyTraining>('/api/v1/workers/me/training', { signal }),
  });
}

/** A course with its lessons and my progress. */
export function useCourse(id: string) {
  return useQuery({
    queryKey: trainingKeys.course(id),
    queryFn: ({ signal }) => api.get<CourseDetail>(`/api/v1/training/courses/${enc(id)}`, { signal }),
  });
}

/** An attempt: the paper while open (no answers), the review once closed. */
export function useAttempt(id: string) {
  return useQuery({
    queryKey: trainingKeys.attempt(id),
    queryFn: ({ signal }) => api.get<Attempt>(`/api/v1/workers/me/training/attempts/${enc(id)}`, { signal }),
    staleTime: 0,
  });
}

export function useCompleteLesson(courseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (lessonId: string) =>
      api.post(`/api/v1/workers/me/training/lessons/${enc(lessonId)}/complete`, {}),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: trainingKeys.course(courseId) });
      qc.invalidateQueries({ queryKey: trainingKeys.mine() });
    },
  });
}

export function useStartAttempt() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (examId: string) =>
      api.post<Attempt>(`/api/v1/workers/me/training/exams/${enc(examId)}/attempts`, {}),
    onSuccess: (a) => {
      qc.setQueryData(trainingKeys.attempt(a.id), a);
      qc.invalidateQueries({ queryKey: trainingKeys.mine() });
    },
  });
}

export function useSaveAnswers(attemptId: string) {
  return useMutation({
    mutationFn: (answers: Record<string, number[]>) =>
      api.request<{ saved: number }>(`/api/v1/workers/me/training/attempts/${enc(attemptId)}/answers`, {
        method: 'PUT',
        body: { answers },
      }),
  });
}

export function useSubmitAttempt(attemptId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (answers: Record<string, number[]>) =>
      api.post<Attempt>(`/api/v1/workers/me/training/attempts/${enc(attemptId)}/submit`, { answers }),
    onSuccess: (a) => qc.setQueryData(trainingKeys.attempt(a.id), a),
    onSettled: () => {
      qc.invalidateQueries({ queryKey: trainingKeys.all });
      qc.invalidateQueries({ queryKey: ['certification'] });
    },
  });
}

export function useEnrol() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (classId: string) =>
      api.post(`/api/v1/workers/me/training/classes/${enc(classId)}/enrol`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.mine() }),
  });
}

export function useCheckIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api.post<{ classTitle: string; day: string; alreadyCheckedIn: boolean; minutes: number }>(
        '/api/v1/workers/me/training/checkin',
        { token },
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.all }),
  });
}

// Institution and regulator -----------------------------------------------------------------------------------------

export function useCourses() {
  return useQuery({
    queryKey: trainingKeys.courses(),
    queryFn: ({ signal }) => api.get<{ items: Course[] }>('/api/v1/training/courses', { signal }),
  });
}

export function useCreateCourse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Course>('/api/v1/training/courses', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.courses() }),
  });
}

export function useCourseAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; action: 'publish' | 'archive' }) =>
      api.post<Course>(`/api/v1/training/courses/${enc(a.id)}/${a.action}`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.all }),
  });
}

export function useAddLesson(courseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post(`/api/v1/training/courses/${enc(courseId)}/lessons`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.all }),
  });
}

/** Adds a PDF or video-file lesson (multipart: file, title, minutes). */
export function useAddLessonFile(courseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { file: File; title: string; minutes: number }) => {
      const fd = new FormData();
      fd.append('title', a.title);
      fd.append('minutes', String(a.minutes));
      fd.append('file', a.file);
      return postForm(`/api/v1/training/courses/${enc(courseId)}/lesson-files`, fd);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.all }),
  });
}

export function useClasses() {
  return useQuery({
    queryKey: trainingKeys.classes(),
    queryFn: ({ signal }) =>
      api.get<{ items: (ClassView & { enrolledCount: number })[] }>('/api/v1/training/classes', { signal }),
  });
}

export function useClassDetail(id: string | null) {
  return useQuery({
    queryKey: trainingKeys.class(id ?? ''),
    queryFn: ({ signal }) => api.get<ClassDetail>(`/api/v1/training/classes/${enc(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useCreateClass() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post('/api/v1/training/classes', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.classes() }),
  });
}

export function useBanks() {
  return useQuery({
    queryKey: trainingKeys.banks(),
    queryFn: ({ signal }) => api.get<{ items: Bank[] }>('/api/v1/training/banks', { signal }),
  });
}

export function useCreateBank() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<Bank>('/api/v1/training/banks', { name }),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.banks() }),
  });
}

async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    body: form,
    credentials: 'include',
    headers: {
      accept: 'application/json, application/problem+json',
      'accept-language': getLocale() === 'en' ? 'en' : 'zh-CN',
    },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw problemToApiError(res.status, body, getLocale(), res.headers);
  return body as T;
}

/** Uploads an .xlsx/.csv file to a bank (multipart); row errors come back as the problem's field errors. */
export function useImportQuestions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (a: { bankId: string; file: File }) => {
      const fd = new FormData();
      fd.append('file', a.file);
      return postForm<{ imported: number }>(`/api/v1/training/banks/${enc(a.bankId)}/import`, fd);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.banks() }),
  });
}

export function useExams() {
  return useQuery({
    queryKey: trainingKeys.exams(),
    queryFn: ({ signal }) => api.get<{ items: Exam[] }>('/api/v1/training/exams', { signal }),
  });
}

export function useCreateExam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Exam>('/api/v1/training/exams', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.exams() }),
  });
}

export function useExamAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; action: 'publish' | 'close' }) =>
      api.post<Exam>(`/api/v1/training/exams/${enc(a.id)}/${a.action}`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.exams() }),
  });
}

export function useExamResults(examId: string | null) {
  return useQuery({
    queryKey: trainingKeys.results(examId ?? ''),
    queryFn: ({ signal }) =>
      api.get<{ items: ExamResult[]; nextCursor: string | null }>(
        `/api/v1/training/exams/${enc(examId ?? '')}/results?limit=50`,
        { signal },
      ),
    enabled: Boolean(examId),
  });
}

export function useRecords() {
  return useQuery({
    queryKey: trainingKeys.records(),
    queryFn: ({ signal }) =>
      api.get<{
        items: (TrainingCertificate & { workerId: string; workerName: string })[];
        nextCursor: string | null;
      }>('/api/v1/training/records?limit=100', { signal }),
  });
}

export function useSubsidyReport(from: string, to: string) {
  return useQuery({
    queryKey: trainingKeys.report(from, to),
    queryFn: ({ signal }) =>
      api.get<SubsidyReport>(`/api/v1/training/subsidies?from=${enc(from)}&to=${enc(to)}`, { signal }),
  });
}

export function useSubsidyRates() {
  return useQuery({
    queryKey: trainingKeys.rates(),
    queryFn: ({ signal }) =>
      api.get<{ items: { courseKind: string; amountFen: number }[] }>('/api/v1/training/subsidy-rates', {
        signal,
      }),
  });
}

export function useSetSubsidyRate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { kind: string; amountFen: number }) =>
      api.request(`/api/v1/regulator/training/subsidy-rates/${enc(a.kind)}`, {
        method: 'PUT',
        body: { amountFen: a.amountFen },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: trainingKeys.all }),
  });
}
