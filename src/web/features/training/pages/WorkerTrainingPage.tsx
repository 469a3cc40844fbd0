import '../training.css';
import { Alert, Button, Card, Checkbox, List, Progress, Radio, Space, Spin, Table, Tag } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  useAttempt,
  useCheckIn,
  useCompleteLesson,
  useCourse,
  useEnrol,
  useMyTraining,
  useSaveAnswers,
  useStartAttempt,
  useSubmitAttempt,
} from '../training.api';
import type { Attempt, MyExam } from '../training.types';

/** /worker/training: my exams, courses and classes; exam taking; lessons; class check-in by QR. Phone first. */
export default function WorkerTrainingPage() {
  return (
    <Routes>
      <Route index element={<Overview />} />
      <Route path="course/:id" element={<CoursePage />} />
      <Route path="attempt/:id" element={<AttemptPage />} />
      <Route path="checkin/:token" element={<CheckInPage />} />
    </Routes>
  );
}

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

function Overview() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.worker.training'));
  const mine = useMyTraining();
  const start = useStartAttempt();
  const enrol = useEnrol();
  const navigate = useNavigate();
  if (mine.isLoading) return <Spin />;
  if (mine.error) return <ErrorAlert error={mine.error} />;
  const d = mine.data!;
  const begin = (e: MyExam) =>
    start.mutate(e.id, { onSuccess: (a) => navigate(`attempt/${encodeURIComponent(a.id)}`) });
  return (
    <div className="console-page training-page">
      <h1>{t('sec.worker.training')}</h1>
      <ErrorAlert error={start.error ?? enrol.error} />

      <h2>{t('training.exams')}</h2>
      <List
        dataSource={d.exams}
        locale={{ emptyText: t('training.none') }}
        renderItem={(e) => (
          <List.Item key={e.id} className="training-card-item">
            <Card size="small" className="training-card">
              <div className="training-card-title">
                {e.title} {e.kind === 'pre_job' ? <Tag color="green">{t('training.preJob')}</Tag> : null}
                {e.passed ? <Tag color="success">{t('training.passed')}</Tag> : null}
              </div>
              <div className="muted small">
                {t('training.examFacts', {
                  n: e.questionCount,
                  minutes: e.timeLimitMinutes,
                  pass: e.passScore,
                })}
              </div>
              <div className="muted small">
                {t('training.attemptsUsed', { used: e.attemptsUsed, max: e.maxAttempts })}
                {e.bestScore != null ? ` · ${t('training.bestScore', { score: e.bestScore })}` : ''}
              </div>
              {e.refusal && e.refusal !== 'attempt_open' ? (
                <div className="small training-refusal">
                  {t(`training.refusal.${e.refusal}` as MessageKey)}
                  {e.retryAt
                    ? ` ${new Date(e.retryAt).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' })}`
                    : ''}
                </div>
              ) : null}
              <Space wrap style={{ marginTop: 8 }}>
                {e.openAttemptId ? (
                  <Link to={`attempt/${encodeURIComponent(e.openAttemptId)}`}>
                    <Button type="primary">{t('training.continue')}</Button>
                  </Link>
                ) : e.canStart ? (
                  <Button type="primary" loading={start.isPending} onClick={() => begin(e)}>
                    {t('training.start')}
                  </Button>
                ) : null}
                {e.lastAttemptId && !e.openAttemptId ? (
                  <Link to={`attempt/${encodeURIComponent(e.lastAttemptId)}`}>
                    <Button>{t('training.viewResult')}</Button>
                  </Link>
                ) : null}
              </Space>
            </Card>
          </List.Item>
        )}
      />

      <h2>{t('training.courses')}</h2>
      <List
        dataSource={d.courses}
        locale={{ emptyText: t('training.none') }}
        renderItem={(c) => (
          <List.Item key={c.id} className="training-card-item">
            <Card size="small" className="training-card">
              <div className="training-card-title">
                <Link to={`course/${encodeURIComponent(c.id)}`}>{c.title}</Link>{' '}
                <Tag>{t(`training.kind.${c.kind}` as MessageKey)}</Tag>
              </div>
              <div className="muted small">{c.categoryLabel}</div>
              <Progress
                aria-label={`${c.title} ${t('training.hours', { done: hours(c.minutesDone), need: hours(c.requiredMinutes) })}`}
                percent={
                  c.requiredMinutes
                    ? Math.min(100, Math.round((c.minutesDone / c.requiredMinutes) * 100))
                    : 100
                }
                size="small"
                format={() =>
                  t('training.hours', { done: hours(c.minutesDone), need: hours(c.requiredMinutes) })
                }
              />
            </Card>
          </List.Item>
        )}
      />

      <h2>{t('training.classes')}</h2>
      <List
        dataSource={d.classes}
        locale={{ emptyText: t('training.none') }}
        renderItem={(k) => (
          <List.Item key={k.id} className="training-card-item">
            <Card size="small" className="training-card">
              <div className="training-card-title">{k.title}</div>
              <div className="muted small">
                {formatDate(k.startsOn, locale)} – {formatDate(k.endsOn, locale)} · {k.venue}
              </div>
              <div style={{ marginTop: 8 }}>
                {k.enrolled ? (
                  <Tag color="blue">{t('training.enrolled')}</Tag>
                ) : (
                  <Button loading={enrol.isPending} onClick={() => enrol.mutate(k.id)}>
                    {t('training.enrol')}
                  </Button>
                )}
              </div>
            </Card>
          </List.Item>
        )}
      />

      <h2>{t('training.certificates')}</h2>
      <List
        dataSource={d.certificates}
        locale={{ emptyText: t('training.none') }}
        renderItem={(c) => (
          <List.Item key={c.id}>
            <div>
              <div>
                {c.courseTitle} · {c.score} {t('training.points')}
              </div>
              <div className="muted small">
                {c.number} · {c.institution} · {formatDate(c.issuedAt, locale)}
              </div>
              <Space wrap>
                <a href={c.pdfUrl} target="_blank" rel="noopener">
                  PDF
                </a>
                <a href={c.verifyUrl} target="_blank" rel="noopener">
                  {t('training.verify')}
                </a>
              </Space>
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}

function CoursePage() {
  const t = useT();
  const { id = '' } = useParams();
  const course = useCourse(id);
  const complete = useCompleteLesson(id);
  useDocumentTitle(course.data?.course.title ?? t('training.courses'));
  if (course.isLoading) return <Spin />;
  if (course.error) return <ErrorAlert error={course.error} />;
  const d = course.data!;
  const done = new Set(d.completedLessonIds);
  return (
    <div className="console-page training-page">
      <BackLink to="..">{t('training.back')}</BackLink>
      <h1>{d.course.title}</h1>
      <p className="muted small">
        {d.institution} · {d.course.categoryLabel} ·{' '}
        {t('training.hours', { done: hours(d.minutesDone), need: hours(d.course.requiredMinutes) })}
      </p>
      {d.course.description ? <p>{d.course.description}</p> : null}
      <ErrorAlert error={complete.error} />
      {d.lessons.map((l) => (
        <Card
          key={l.id}
          size="small"
          className="training-card"
          title={`${l.position}. ${l.title}`}
          extra={<span className="muted small">{t('training.minutes', { n: l.minutes })}</span>}
        >
          {/* The server sanitizes lesson HTML with an allow-list (no scripts, styles or event handlers). */}
          {l.bodyHtml ? (
            // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized server-side (sanitize-html allow-list) before it is stored
            <div className="lesson-body" dangerouslySetInnerHTML={{ __html: l.bodyHtml }} />
          ) : null}
          {l.kind === 'pdf' && l.fileUrl ? (
            <a href={l.fileUrl} target="_blank" rel="noopener">
              {t('training.openPdf')}
            </a>
          ) : null}
          {l.kind === 'video_file' && l.fileUrl ? (
            // biome-ignore lint/a11y/useMediaCaption: lesson videos are uploaded by institutions without captions
            <video src={l.fileUrl} controls style={{ width: '100%' }} />
          ) : null}
          {l.kind === 'video_url' && l.url ? (
            <a href={l.url} target="_blank" rel="noopener noreferrer">
              {t('training.openVideo')}
            </a>
          ) : null}
          <div style={{ marginTop: 8 }}>
            {done.has(l.id) ? (
              <Tag color="success">{t('training.lessonDone')}</Tag>
            ) : (
              <Button
                size="small"
                type="primary"
                loading={complete.isPending}
                onClick={() => complete.mutate(l.id)}
              >
                {t('training.markDone')}
              </Button>
            )}
          </div>
        </Card>
      ))}
    </div>
  );
}

/** Seconds to the server's deadline; the browser clock only measures time since the server said "now". */
function useServerCountdown(a: Attempt | undefined) {
  const offset = useMemo(() => (a ? new Date(a.serverNow).getTime() - Date.now() : 0), [a]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, []);
  if (!a) return 0;
  return Math.max(0, Math.ceil((new Date(a.deadline).getTime() - (now + offset)) / 1000));
}

function AttemptPage() {
  const t = useT();
  const { id = '' } = useParams();
  const attempt = useAttempt(id);
  const save = useSaveAnswers(id);
  const submit = useSubmitAttempt(id);
  const [answers, setAnswers] = useState<Record<string, number[]>>({});
  const loaded = useRef(false);
  const a = attempt.data;
  useDocumentTitle(a?.examTitle ?? t('training.exams'));
  useEffect(() => {
    if (a && !loaded.current) {
      loaded.current = true;
      setAnswers(a.answers);
    }
  }, [a]);
  const remaining = useServerCountdown(a?.state === 'open' ? a : undefined);
  if (attempt.isLoading) return <Spin />;
  if (attempt.error) return <ErrorAlert error={attempt.error} />;
  if (!a) return null;
  if (a.state !== 'open') return <AttemptResult a={a} />;

  const pick = (qid: string, v: number[]) => {
    const next = { ...answers, [qid]: v };
    setAnswers(next);
    save.mutate({ [qid]: v });
  };
  const answered = a.questions.filter((q) => (answers[q.id]?.length ?? 0) > 0).length;
  const mm = String(Math.floor(remaining / 60)).padStart(2, '0');
  const ss = String(remaining % 60).padStart(2, '0');
  return (
    <div className="console-page training-page">
      <h1>{a.examTitle}</h1>
      <div
        className={`exam-countdown${remaining < 60 ? ' exam-countdown-low' : ''}`}
        role="timer"
        aria-live="off"
      >
        {t('training.remaining')} <strong data-testid="countdown">{`${mm}:${ss}`}</strong> ·{' '}
        {t('training.answered', { n: answered, total: a.questions.length })}
      </div>
      {remaining === 0 ? <Alert type="warning" showIcon message={t('training.timeUp')} /> : null}
      <ErrorAlert error={submit.error ?? save.error} />
      <ol className="exam-questions">
        {a.questions.map((q) => (
          <li key={q.id} className="exam-question">
            <div className="exam-stem">
              <Tag>{t(`training.qtype.${q.type}` as MessageKey)}</Tag> {q.stem}
            </div>
            {q.type === 'multiple' ? (
              <Checkbox.Group
                value={answers[q.id] ?? []}
                onChange={(v) => pick(q.id, (v as number[]).slice().sort())}
                options={q.options.map((o, i) => ({ value: i, label: `${'ABCDEF'[i]}. ${o}` }))}
                className="exam-options"
              />
            ) : (
              <Radio.Group
                value={answers[q.id]?.[0]}
                onChange={(e) => pick(q.id, [e.target.value as number])}
                options={q.options.map((o, i) => ({
                  value: i,
                  label: q.type === 'true_false' ? o : `${'ABCDEF'[i]}. ${o}`,
                }))}
                className="exam-options"
              />
            )}
          </li>
        ))}
      </ol>
      <Button
        type="primary"
        block
        size="large"
        loading={submit.isPending}
        onClick={() => submit.mutate(answers)}
      >
        {t('training.submit')}
      </Button>
    </div>
  );
}

function AttemptResult({ a }: { a: Attempt }) {
  const t = useT();
  const r = a.result!;
  return (
    <div className="console-page training-page">
      <BackLink to="..">{t('training.back')}</BackLink>
      <h1>{a.examTitle}</h1>
      <Alert
        type={r.passed ? 'success' : 'error'}
        showIcon
        message={
          r.passed
            ? t('training.resultPassed', { score: r.score })
            : t('training.resultFailed', { score: r.score, pass: a.passScore })
        }
        description={a.state === 'expired' ? t('training.expiredNote') : undefined}
        data-testid="exam-result"
      />
      {r.passed ? (
        <p style={{ marginTop: 12 }}>
          <Link to="/worker/card">{t('training.seeCard')}</Link>
        </p>
      ) : null}
      <h2>{t('training.breakdown')}</h2>
      <Table
        size="small"
        pagination={false}
        rowKey="topic"
        dataSource={r.breakdown}
        columns={[
          { title: t('training.topic'), dataIndex: 'topicLabel' },
          { title: t('training.points'), render: (_, b) => `${b.earned} / ${b.total}` },
        ]}
      />
      <h2>{t('training.review')}</h2>
      <ol className="exam-questions">
        {a.questions.map((q) => {
          const mine = a.answers[q.id] ?? [];
          const right = (q.correct ?? []).slice().sort().join() === mine.slice().sort().join();
          return (
            <li key={q.id} className="exam-question">
              <div className="exam-stem">
                {right ? <Tag color="success">✓</Tag> : <Tag color="error">✗</Tag>} {q.stem}
              </div>
              <div className="small">
                {t('training.yourAnswer')}: {mine.map((i) => q.options[i]).join(t('common.listSep')) || '—'}
              </div>
              <div className="small">
                {t('training.correctAnswer')}:{' '}
                {(q.correct ?? []).map((i) => q.options[i]).join(t('common.listSep'))}
              </div>
              {q.explanation ? <div className="muted small">{q.explanation}</div> : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function CheckInPage() {
  const t = useT();
  const { token = '' } = useParams();
  const checkIn = useCheckIn();
  const sent = useRef(false);
  useDocumentTitle(t('training.checkin'));
  useEffect(() => {
    if (!sent.current) {
      sent.current = true;
      checkIn.mutate(token);
    }
  }, [checkIn, token]);
  return (
    <div className="console-page training-page">
      <h1>{t('training.checkin')}</h1>
      {checkIn.isPending ? <Spin /> : null}
      <ErrorAlert error={checkIn.error} />
      {checkIn.data ? (
        <Alert
          type="success"
          showIcon
          message={
            checkIn.data.alreadyCheckedIn
              ? t('training.checkedInAlready', { title: checkIn.data.classTitle })
              : t('training.checkedIn', { title: checkIn.data.classTitle })
          }
          description={t('training.hoursSoFar', { h: hours(checkIn.data.minutes) })}
        />
      ) : null}
      <p style={{ marginTop: 12 }}>
        <BackLink to="/worker/training">{t('training.back')}</BackLink>
      </p>
    </div>
  );
}
