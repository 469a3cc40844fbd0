// P7 / PIPL Art 45 (access and copy): the worker's machine-readable export (GET /workers/me/export.json) must cover
// every table that points at the worker or their account by a foreign key. The tables come from the live database's
// information_schema, not from a list; a table is covered when every one of the subject's rows in it is in the export
// (by id), and a gap when the subject has rows there that the export does not carry.
import type { TestApp } from '../../test/app.js';
import { signInWithPassword } from '../../test/factories/sign-in.js';
import { account, certifiedWorker, day, PASSWORD } from '../../test/factories/workers.js';
import { exerciseDealings } from './rights-fixture-dealings.js';
import { exerciseProgrammeRows } from './rights-fixture-programmes.js';
import { book, hourly, inject, must, priceItem, slot, type Suite } from './support.js';

/**
 * Tables deliberately left out of the export, with the reason: secrets that unlock the account must not leave it.
 * Printed as such, never counted as covered.
 */
export const excludedByDesign: Record<string, string> = {
  account: 'holds the password hash (a credential, not information about the person)',
  session: 'holds live session tokens (exporting them would hand out the account)',
  worker_search: 'the search projection of the profile section (the same facts, rebuilt from the worker row)',
  user_totp: 'holds the sealed TOTP secret (a second factor: exporting it would hand out the account)',
  user_recovery_code:
    'holds keyed hashes of single-use recovery codes (credentials, not information about the person)',
  user_webauthn_credential:
    'security keys (credential id, public key, counter) are sign-in credentials, and only regulator and admin accounts hold them, never a worker',
  contract_sign_code:
    'holds keyed hashes of SMS codes that confirm a contract signature (credentials); the signatures they confirmed are exported',
};

/**
 * Subject tables the fixture does not yet give the worker rows in, each with the reason. An unexercised table that is
 * not listed here fails the suite (a new table must not slip by unchecked); a listed one that now has rows is
 * reported so the list shrinks. docs/security.md, known gap 1.
 */
export const notYetExercised: Record<string, string> = Object.fromEntries(
  ([] as string[]).map((t) => [
    t,
    'the fixture does not give the worker a row here yet (docs/security.md, known gap 1)',
  ]),
);
notYetExercised.partner_resident =
  "a shadow resident account is only made for a partner's new user on their first order (a phone already " +
  "registered is refused, PARTNER_RESIDENT_CONFLICT), so the fixture worker's existing account cannot be one; an " +
  'account that began as a shadow resident and later registered as a worker would be (exported as ' +
  'partnerRecords.residentLinks)';

/**
 * Tables the column rule picks up whose matching column can never hold a worker or their account, with the reason.
 * Printed, not counted among the subject tables; one that gets rows for the subject fails the suite.
 */
export const neverAboutTheSubject: Record<string, string> = {
  partner_order:
    "external_user_id is the partner platform's own id for its user, never an Anxin account (the order's worker is in service_order)",
  recruitment_fair:
    'created_by_user_id is the regulator or platform admin who set the fair up (an official act; only they may)',
  recruitment_cohort:
    'created_by_user_id is the regulator or platform admin who set the cohort up (an official act; only they may)',
};

/**
 * Tables keyed by the subject alone (one row per worker, no id): covered when the export's section at this path
 * carries the row, that is, every non-null text, date and time value of the row other than the subject's id.
 */
export const oneRowPerSubject: Record<string, string> = {
  recruitment_contact_consent: 'recruitment.contactConsent',
  recruitment_cohort_trainee: 'recruitment.cohort',
};

/**
 * Export gaps the project knows about (docs/security.md, "Known gaps"): printed with the figure, not failed. A gap
 * that is not listed here fails the suite; a listed one that is now covered is reported so the list stays honest.
 */
export const knownExportGaps: Record<string, string> = {};

/** One multipart file upload (a question bank CSV) through the real route. */
function uploadCsv(t: TestApp, url: string, cookie: string, csv: string) {
  const boundary = `----rights${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="q.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

/**
 * The worker's training, through the real routes: a training institution's skill course with one online lesson, a
 * class today and a course exam; the worker enrols, checks in, finishes the lesson and passes the exam, so the
 * institution's certificate is issued.
 */
async function trainWorker(t: TestApp, w: { cookie: string }) {
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'training',
    name: '权利测试培训学校',
    district: '440106',
  });
  const admin = await account(t, [], '培训老师');
  await orgs.addMember(t.database.db, { orgId, userId: admin.userId, role: 'admin' });
  const school = await signInWithPassword(t.app, admin.phone, PASSWORD);
  const post = (url: string, cookie: string, body?: object) => inject(t, 'POST', url, cookie, body);
  const course = must(
    await post('/api/v1/training/courses', school, {
      title: '母婴护理技能提升班',
      category: 'maternal_infant',
      kind: 'skill',
      skillLevel: 'level4',
      requiredMinutes: 480,
    }),
    201,
    'course',
  ).json().id;
  const lesson = must(
    await post(`/api/v1/training/courses/${course}/lessons`, school, {
      kind: 'text',
      title: '新生儿护理要点',
      bodyHtml: '<p>脐部护理与喂养</p>',
      minutes: 30,
    }),
    201,
    'lesson',
  ).json().id;
  const klass = must(
    await post('/api/v1/training/classes', school, {
      courseId: course,
      title: '第 1 期',
      startsOn: day(t),
      endsOn: day(t),
      minutesPerDay: 480,
      venue: '天河路 385 号',
      lon: 113.32,
      lat: 23.13,
      capacity: 5,
    }),
    201,
    'class',
  ).json().id;
  must(await post(`/api/v1/training/courses/${course}/publish`, school), 200, 'course publish');
  const bank = must(await post('/api/v1/training/banks', school, { name: '母婴题库' }), 201, 'bank').json()
    .id;
  const csv = [
    '题型,题干,选项A,选项B,选项C,选项D,答案,分类,知识点,难度,解析',
    '单选,新生儿脐带护理正确的是？,甲,乙,丙,丁,B,母婴护理,skills,易,',
    '单选,冲调奶粉的水温应为？,甲,乙,丙,丁,C,母婴护理,skills,易,',
  ].join('\n');
  must(await uploadCsv(t, `/api/v1/training/banks/${bank}/import`, school, csv), 201, 'bank import');
  const exam = must(
    await post('/api/v1/training/exams', school, {
      title: '结业考试',
      bankId: bank,
      courseId: course,
      kind: 'course',
      rules: [{ topic: 'skills', difficulty: 'easy', count: 2 }],
      timeLimitMinutes: 10,
      passScore: 60,
      maxAttempts: 2,
      cooldownMinutes: 0,
    }),
    201,
    'exam',
  ).json().id;
  must(await post(`/api/v1/training/exams/${exam}/publish`, school), 200, 'exam publish');

  const detail = must(await inject(t, 'GET', `/api/v1/training/classes/${klass}`, school), 200, 'class');
  const token = String(detail.json().checkinUrl).split('/checkin/')[1];
  must(await post(`/api/v1/workers/me/training/classes/${klass}/enrol`, w.cookie), 200, 'enrol');
  must(await post('/api/v1/workers/me/training/checkin', w.cookie, { token }), 200, 'check-in');
  must(await post(`/api/v1/workers/me/training/lessons/${lesson}/complete`, w.cookie), 200, 'lesson');
  const attempt = must(
    await post(`/api/v1/workers/me/training/exams/${exam}/attempts`, w.cookie),
    201,
    'attempt',
  ).json().id;
  // The key is read from the bank, as an examinee who knows the material would answer.
  const keys = await t.app.database.raw.query<{ id: string; answer: number[] }>(
    `select q.id, q.answer from training_question q
      where q.id = any((select question_ids from training_attempt where id = $1)::text[])`,
    [attempt],
  );
  const answers = Object.fromEntries(keys.map((k) => [k.id, k.answer]));
  must(
    await post(`/api/v1/workers/me/training/attempts/${attempt}/submit`, w.cookie, { answers }),
    200,
    'submit',
  );
}

/**
 * Rows beyond the core record, each through its real route where one exists: training (enrolment, check-in, lesson,
 * exam attempt, certificate), an expiry reminder (health expires in 30 days), a staff seat, a need the account
 * posted as a resident (a worker's account keeps its resident role) and a company's offer of the worker on another
 * resident's need. Shared with the e-file's export test.
 */
export async function exerciseSubjectRows(
  t: TestApp,
  opts: {
    w: { cookie: string; userId: string; workerId: string };
    co: { orgId: string; cookie: string };
    itemId: string;
    resident: { cookie: string };
  },
) {
  const { w, co, itemId, resident } = opts;
  await trainWorker(t, w);
  if (!(await t.app.services.certification.runExpiryReminders())) throw new Error('no expiry reminder sent');
  // A staff seat is given by the company admin's invitation flow or the orgs service; employment as a worker is
  // worker_employment (workHistory.employment), not org_membership.
  await t.app.services.orgs.addMember(t.database.db, { orgId: co.orgId, userId: w.userId, role: 'staff' });
  const need = (startAt: string) => ({
    category: 'cleaning',
    mode: 'hourly',
    district: '440106',
    address: '广州市天河区体育西路100号',
    schedule: { mode: 'hourly', startAt, hours: 2 },
    description: '两房一厅日常保洁',
  });
  must(await inject(t, 'POST', '/api/v1/demands', w.cookie, need(slot(t, 50))), 201, "worker's own need");
  const other = must(
    await inject(t, 'POST', '/api/v1/demands', resident.cookie, need(slot(t, 60))),
    201,
    "resident's need",
  ).json().id;
  must(
    await inject(t, 'POST', `/api/v1/orgs/${co.orgId}/demands/${other}/offers`, co.cookie, {
      workerId: w.workerId,
      priceItemId: itemId,
    }),
    201,
    'offer',
  );
}

interface FkRow {
  table_name: string;
  column_name: string;
  ref: string;
}

export const rights: Suite = async ({ t, world }) => {
  const regulatorCookie = world.cookies.get('regulator')!;
  // A worker with a full history: documents, checks, training, employment, certificate, an accepted order, a share
  // link and a company's access request.
  const { w, co } = await certifiedWorker(t, { regulatorCookie });
  const itemId = await priceItem(t, co);
  const resident = await account(t, [{ role: 'resident' }], '孙女士');
  const order = await book(t, resident.cookie, hourly(itemId, w.workerId, slot(t, 30)));
  if (order.statusCode !== 201) throw new Error(`booking failed: ${order.body}`);
  const accepted = await inject(t, 'POST', `/api/v1/orders/${order.json().id}/accept`, co.cookie, {});
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`);
  const link = await inject(t, 'POST', '/api/v1/workers/me/grants', w.cookie, {
    kind: 'link',
    expiresInHours: 24,
    scope: 'basic',
  });
  if (link.statusCode !== 201) throw new Error(`share link failed: ${link.body}`);
  const ask = await inject(t, 'POST', `/api/v1/workers/${w.workerId}/access-requests`, co.cookie, {
    reason: '核实服务员资质以便派单',
    orgId: co.orgId,
  });
  if (ask.statusCode !== 201) throw new Error(`access request failed: ${ask.body}`);

  await exerciseDealings(t, { w, co, resident });
  await exerciseSubjectRows(t, { w, co, itemId, resident });
  await exerciseProgrammeRows(t, { w, co });

  const deletion = await inject(t, 'POST', '/api/v1/workers/me/deletion-request', w.cookie, {
    reason: '想了解删除流程，暂不处理',
  });
  if (deletion.statusCode !== 201) throw new Error(`deletion request failed: ${deletion.body}`);

  const exported = await inject(t, 'GET', '/api/v1/workers/me/export.json', w.cookie);
  if (exported.statusCode !== 200) throw new Error(`export failed: ${exported.statusCode} ${exported.body}`);
  const text = exported.body;
  const sections = Object.keys(exported.json());

  const fks = await t.app.database.raw.query<FkRow>(
    `select distinct kcu.table_name, kcu.column_name, ccu.table_name as ref
       from information_schema.table_constraints tc
       join information_schema.key_column_usage kcu
         on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
       join information_schema.constraint_column_usage ccu
         on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public' and ccu.table_name in ('worker', 'user')
      order by 1, 2`,
  );
  const subjectKey: Record<string, string> = { worker: w.workerId, user: w.userId };
  // Columns that name the subject as a party (worker_id, user_id, resident_user_id …): by foreign key, and by name
  // where a module keeps the id without a constraint. Columns naming someone as the actor (created_by, recorded_by,
  // actor_id …) are staff bookkeeping, not the subject's data, and are not counted.
  const byName = await t.app.database.raw.query<FkRow>(
    `select c.table_name, c.column_name, case when c.column_name like '%worker_id' then 'worker' else 'user' end as ref
       from information_schema.columns c join information_schema.tables tb
         on tb.table_name = c.table_name and tb.table_schema = c.table_schema and tb.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and (c.column_name like '%worker_id' or c.column_name like '%user_id')`,
  );
  const party = /^(worker_id|user_id|[a-z]+_user_id|[a-z]+_worker_id)$/;
  const subjectCols = [...fks.filter((f) => party.test(f.column_name)), ...byName];
  const fkTables = new Set(fks.filter((f) => party.test(f.column_name)).map((f) => f.table_name));
  const byTable = new Map<string, FkRow[]>();
  for (const f of subjectCols) {
    const list = byTable.get(f.table_name) ?? [];
    if (!list.some((x) => x.column_name === f.column_name)) list.push(f);
    byTable.set(f.table_name, list);
  }
  byTable.delete('worker');
  fkTables.delete('worker');
  const nameOnly = [...byTable.keys()].filter((k) => !fkTables.has(k)).length;
  const idCols = new Set(
    (
      await t.app.database.raw.query<{ t: string }>(
        `select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'id'`,
      )
    ).map((r) => r.t),
  );

  // Tables keyed without an id column are checked by their primary key minus the subject's column, joined by '/'
  // (as the export's `ref` fields carry them, e.g. a check-in is classId/day).
  const pkCols = await t.app.database.raw.query<{ t: string; c: string }>(
    `select kcu.table_name as t, kcu.column_name as c
       from information_schema.table_constraints tc
       join information_schema.key_column_usage kcu
         on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = 'public'
      order by kcu.table_name, kcu.ordinal_position`,
  );
  const keyOf = new Map<string, string[]>();
  for (const k of pkCols) keyOf.set(k.t, [...(keyOf.get(k.t) ?? []), k.c]);
  let byKey = 0;

  const covered: string[] = [];
  const gaps: string[] = [];
  const unexercised: string[] = [];
  const excluded: string[] = [];
  const noIds: string[] = [];
  const never: string[] = [];
  const aboutAfterAll: string[] = [];
  const body = exported.json() as Record<string, unknown>;
  let byValue = 0;
  // The subject's own row.
  if (text.includes(w.workerId) || sections.includes('profile')) covered.push('worker');
  else gaps.push('worker');
  for (const [table, refs] of byTable) {
    if (excludedByDesign[table]) {
      excluded.push(table);
      continue;
    }
    const where = refs.map((r, i) => `"${r.column_name}" = $${i + 1}`).join(' or ');
    const params = refs.map((r) => subjectKey[r.ref]);
    const key = (keyOf.get(table) ?? []).filter((c) => !refs.some((r) => r.column_name === c));
    if (neverAboutTheSubject[table]) {
      const [row] = await t.app.database.raw.query<{ n: string }>(
        `select count(*) as n from "${table}" where ${where}`,
        params,
      );
      (Number(row?.n) ? aboutAfterAll : never).push(table);
      continue;
    }
    if (!idCols.has(table) && !key.length) {
      // One row per subject: compared by its values with the export section named in oneRowPerSubject.
      const cols = await t.app.database.raw.query<{ c: string; type: string }>(
        `select column_name as c, data_type as type from information_schema.columns
          where table_schema = 'public' and table_name = $1 order by ordinal_position`,
        [table],
      );
      const exprs = cols
        .filter((c) => !refs.some((r) => r.column_name === c.c) && /^(text|date|timestamp)/.test(c.type))
        .map((c) =>
          c.type.startsWith('timestamp')
            ? `to_char("${c.c}" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
            : `"${c.c}"::text`,
        );
      const rows = await t.app.database.raw.query<Record<string, string | null>>(
        `select ${exprs.map((e, i) => `${e} as v${i}`).join(', ') || '1 as v0'} from "${table}" where ${where}`,
        params,
      );
      const path = oneRowPerSubject[table];
      if (!rows.length) unexercised.push(table);
      else if (!path || !exprs.length) noIds.push(table);
      else {
        byValue++;
        const at = path
          .split('.')
          .reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], body);
        const section = at == null ? '' : JSON.stringify(at);
        const carried = rows.filter(
          (r) => section && Object.values(r).every((v) => v == null || section.includes(v)),
        );
        if (carried.length === rows.length) covered.push(table);
        else gaps.push(`${table} (${rows.length - carried.length}/${rows.length} rows missing at ${path})`);
      }
      continue;
    }
    const idExpr = idCols.has(table)
      ? 'id::text'
      : `concat_ws('/', ${key.map((c) => `"${c}"::text`).join(', ')})`;

    const rows = await t.app.database.raw.query<{ id: string }>(
      `select ${idExpr} as id from "${table}" where ${where}`,
      params,
    );
    if (!idCols.has(table) && rows.length) byKey++;
    if (!rows.length) unexercised.push(table);
    else if (rows.every((r) => text.includes(r.id))) covered.push(table);
    else
      gaps.push(`${table} (${rows.filter((r) => !text.includes(r.id)).length}/${rows.length} rows missing)`);
  }
  const gapTables = gaps.map((g) => g.split(' ')[0]!);
  const total = covered.length + gaps.length + noIds.length + unexercised.length;
  const unknownGaps = gapTables.filter((g) => !knownExportGaps[g]);
  const fixedGaps = Object.keys(knownExportGaps).filter((g) => covered.includes(g));
  const unlisted = unexercised.filter((g) => !notYetExercised[g]);
  const nowExercised = Object.keys(notYetExercised).filter((g) => byTable.has(g) && !unexercised.includes(g));
  const details = [
    ...unknownGaps.map((g) => `export gap not in the known list: ${gaps[gapTables.indexOf(g)]}`),
    ...fixedGaps.map((g) => `${g} is covered now: remove it from knownExportGaps`),
    ...unlisted.map(
      (g) => `${g}: subject table the fixture gives the worker no rows in, and not in notYetExercised`,
    ),
    ...nowExercised.map((g) => `${g} is exercised now: remove it from notYetExercised`),
    ...noIds.map((g) => `${g}: subject rows without an id column; coverage cannot be checked by id`),
    ...aboutAfterAll.map((g) => `${g} has rows naming the subject: remove it from neverAboutTheSubject`),
  ];
  return {
    name: 'rights',
    passed: details.length === 0,
    line: `export covers ${covered.length}/${total} subject tables (the worker row, ${fkTables.size} by FK to worker/user, ${nameOnly} by a worker_id/user_id column without FK; excluded ${excluded.length}; ${byKey} checked by primary key for want of an id, ${byValue} by their values for want of a key; export ${exported.body.length} bytes, ${sections.length} sections); gaps ${gaps.length}${gaps.length ? `: ${gaps.join(', ')}` : ''}; not exercised by the fixture ${unexercised.length}${unexercised.length ? ` (${unexercised.join(', ')})` : ''}; excluded by design: ${excluded.join(', ') || 'none'}; never about the worker: ${never.join(', ') || 'none'}`,
    figures: {
      subjectTables: total,
      covered: covered.length,
      gaps: gaps.length,
      unexercised: unexercised.length,
      excluded: excluded.length,
      neverAboutTheSubject: never.length,
      exportBytes: exported.body.length,
    },
    details,
    knownGaps: [
      ...gapTables
        .filter((g) => knownExportGaps[g])
        .map((g) => `export gap: ${gaps[gapTables.indexOf(g)]} — ${knownExportGaps[g]}`),
      ...(unexercised.length - unlisted.length
        ? [
            `export coverage unchecked for ${unexercised.length - unlisted.length} subject tables the fixture does not exercise (notYetExercised)`,
          ]
        : []),
    ],
  };
};
