import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, problemToApiError } from './client';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

const phoneTaken = {
  type: 'urn:anxin:problem:PHONE_TAKEN',
  title: 'Conflict',
  status: 409,
  code: 'PHONE_TAKEN',
  detail: 'This mobile number is already registered',
  message: { 'zh-CN': '该手机号已注册', en: 'This mobile number is already registered' },
  requestId: 'req-1',
};

describe('api client', () => {
  it('turns a problem+json body into an ApiError with code, status and the localized message', async () => {
    const fetchStub = vi.fn<typeof fetch>(async () => jsonResponse(409, phoneTaken));
    const client = createApiClient({ fetch: fetchStub, getLocale: () => 'zh-CN' });

    const err = await client.post('/api/v1/auth/register', { phone: '13800138000' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    const apiError = err as ApiError;
    expect(apiError.code).toBe('PHONE_TAKEN');
    expect(apiError.status).toBe(409);
    expect(apiError.message).toBe('该手机号已注册');
    expect(apiError.localized('en')).toBe('This mobile number is already registered');
    expect(apiError.requestId).toBe('req-1');

    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('/api/v1/auth/register');
    expect(init?.credentials).toBe('include');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(JSON.stringify({ phone: '13800138000' }));
  });

  it('keeps field errors of a 422 and the English message when the UI is in English', async () => {
    const body = {
      ...phoneTaken,
      status: 422,
      code: 'VALIDATION_FAILED',
      message: { 'zh-CN': '请求参数不正确', en: 'The request is not valid' },
      errors: [{ path: 'phone', message: 'Invalid mobile number' }, { bogus: true }],
    };
    const client = createApiClient({ fetch: async () => jsonResponse(422, body), getLocale: () => 'en' });

    const err = (await client.post('/x', {}).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('The request is not valid');
    expect(err.fieldErrors).toEqual([{ path: 'phone', message: 'Invalid mobile number' }]);
  });

  it('reads Retry-After and copes with bodies that are not problem+json', () => {
    const err = problemToApiError(502, undefined, 'zh-CN', new Headers({ 'retry-after': '30' }));
    expect(err.code).toBe('HTTP_ERROR');
    expect(err.status).toBe(502);
    expect(err.retryAfterSeconds).toBe(30);
    expect(err.message).toMatch(/服务暂时不可用/);
  });

  it('reports a network failure as NETWORK_ERROR with status 0', async () => {
    const client = createApiClient({
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      getLocale: () => 'zh-CN',
    });
    const err = (await client.get('/api/v1/auth/me').catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.status).toBe(0);
  });

  it('returns parsed JSON on success and undefined for 204', async () => {
    const client = createApiClient({
      fetch: async (input) =>
        String(input).endsWith('/logout')
          ? new Response(null, { status: 204 })
          : new Response(JSON.stringify({ sent: true, retryAfterSeconds: 60 }), { status: 202 }),
      getLocale: () => 'zh-CN',
    });
    await expect(client.post('/api/v1/auth/otp', { phone: '1', purpose: 'login' })).resolves.toEqual({
      sent: true,
      retryAfterSeconds: 60,
    });
    await expect(client.post('/api/v1/auth/logout')).resolves.toBeUndefined();
  });
});
