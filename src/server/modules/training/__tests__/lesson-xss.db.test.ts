import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { trainingLesson } from '../training.tables.js';

// Lesson HTML is rendered with innerHTML on the worker's lesson page (known gap 7): it is cleaned by the content
// module's allow-list when stored, and again when served, so a row written some other way cannot carry a script.
const PASSWORD = 'Train2026pass';
let t: TestApp;
let school: { cookie: string };
let courseId: string;

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '<a href="javascript:alert(1)">点我</a>',
  '<a href="JaVaScRiPt:alert(1)">大写</a>',
  '<a href="&#106;avascript:alert(1)">实体</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<p style="background:url(javascript:alert(1))" onclick="alert(1)">样式</p>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<form action="https://evil.example/"><input name=x></form>',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  '<div><noscript><p title="</noscript><img src=x onerror=alert(1)>">',
];

/** What must never be in HTML the page will set as innerHTML. */
function assertInert(html: string) {
  expect(html).not.toMatch(/<\s*(script|iframe|svg|math|object|embed|form|input|style|img|noscript)\b/i);
  expect(html).not.toMatch(/\son\w+\s*=/i);
  expect(html).not.toMatch(/javascript:/i);
  expect(html).not.toMatch(/\sstyle\s*=/i);
}

beforeAll(async () => {
  t = await buildTestApp();
  const { orgs, identity } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'training',
    name: '广州市家政职业培训学校',
    district: '440106',
  });
  const phone = uniquePhone();
  const userId = await identity.createAccount({ phone, password: PASSWORD, name: '培训老师', roles: [] });
  await orgs.addMember(t.database.db, { orgId, userId, role: 'admin' });
  school = { cookie: await signInWithPassword(t.app, phone, PASSWORD) };
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/training/courses',
    headers: { cookie: school.cookie },
    payload: { title: '家政服务员岗前培训', category: 'housework', kind: 'pre_job', requiredMinutes: 60 },
  });
  expect(c.statusCode, c.body).toBe(201);
  courseId = c.json().id;
}, 120_000);
afterAll(async () => t?.close());

const addLesson = (bodyHtml: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/training/courses/${courseId}/lessons`,
    headers: { cookie: school.cookie },
    payload: { kind: 'text', title: '职业道德', bodyHtml: `<p>保护隐私</p>${bodyHtml}`, minutes: 10 },
  });

const served = async () => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/training/courses/${courseId}`,
    headers: { cookie: school.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().lessons as { id: string; bodyHtml: string | null }[];
};

describe('lesson HTML', () => {
  test.each(PAYLOADS)('stored and served without active content: %s', async (payload) => {
    const res = await addLesson(payload);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const [row] = await t.database.db.select().from(trainingLesson).where(eq(trainingLesson.id, id));
    assertInert(row!.bodyHtml!);
    expect(row!.bodyHtml).toContain('<p>保护隐私</p>');
    const lesson = (await served()).find((l) => l.id === id)!;
    assertInert(lesson.bodyHtml!);
  });

  test('a row written around the service (seed, import, older release) is cleaned when served', async () => {
    const res = await addLesson('<h3>第一节</h3>');
    const id = res.json().id as string;
    const raw =
      '<h3>第一节</h3><img src=x onerror=alert(document.cookie)><script>fetch("/x")</script><p>正文</p>';
    await t.database.db.update(trainingLesson).set({ bodyHtml: raw }).where(eq(trainingLesson.id, id));
    const lesson = (await served()).find((l) => l.id === id)!;
    assertInert(lesson.bodyHtml!);
    expect(lesson.bodyHtml).toBe('<h3>第一节</h3><p>正文</p>');
  });

  test('the allow-list keeps ordinary lesson markup and makes links safe', async () => {
    const res = await addLesson(
      '<h3>要点</h3><ul><li><strong>守时</strong></li></ul><a href="https://www.mofcom.gov.cn/">商务部</a>',
    );
    expect(res.json().bodyHtml).toBe(
      '<p>保护隐私</p><h3>要点</h3><ul><li><strong>守时</strong></li></ul><a href="https://www.mofcom.gov.cn/" rel="noopener noreferrer nofollow">商务部</a>',
    );
  });
});
