import { expect, test } from 'vitest';
import { newRequestId } from '../request-id.js';

test('request ids keep their form and do not repeat across pool refills', () => {
  const ids = Array.from({ length: 5000 }, () => newRequestId());
  for (const id of ids) expect(id).toMatch(/^req-[0-9a-f]{16}$/);
  expect(new Set(ids).size).toBe(ids.length);
});
