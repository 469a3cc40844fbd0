import type { FieldIssue } from '../errors.js';

/** RFC 9457 problem details with the project's stable code and bilingual message. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  message: { 'zh-CN': string; en: string };
  requestId: string;
  errors?: FieldIssue[];
}

export function problem(
  code: string,
  status: number,
  zh: string,
  en: string,
  requestId: string,
  errors?: FieldIssue[],
): Problem {
  return {
    type: `urn:anxin:problem:${code}`,
    title: en,
    status,
    code,
    detail: en,
    message: { 'zh-CN': zh, en },
    requestId,
    ...(errors?.length ? { errors } : {}),
  };
}
