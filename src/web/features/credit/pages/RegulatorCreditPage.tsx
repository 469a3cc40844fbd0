import { App, Button, Card, Drawer, Empty, Form, Input, Popconfirm, Select, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../../shared/api';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { AppealTag, ExplanationView, indicatorLabel, LevelBadge } from '../components';
import {
  useAddListEntry,
  useAppeals,
  useCompanyScores,
  useDecideAppeal,
  usePublicList,
  usePublishScorecard,
  useRecompute,
  useRemoveListEntry,
  useScorecards,
  useSubjectCredit,
} from '../credit.api';
import type { AppealState, SubjectType } from '../credit.types';

/** /regulator/credit: scores, appeals, red/black lists, scorecard versions. */
export default function RegulatorCreditPage() {
  const t = useT();
  useDocumentTitle(t('sec.regulator.credit'));
  return (
    <div className="credit-page">
      <h1>{t('sec.regulator.credit')}</h1>
      <Tabs
        items={[
          { key: 'scores', label: t('credit.tab.scores'), children: <Scores /> },
          { key: 'appeals', label: t('credit.tab.appeals'), children: <Appeals /> },
          { key: 'lists', label: t('credit.tab.lists'), children: <Lists /> },
          { key: 'scorecard', label: t('credit.tab.scorecard'), children: <ScorecardEditor /> },
        ]}
      />
    </div>
  );
}

function SubjectDrawer({
  subject,
  onClose,
}: {
  subject: { type: SubjectType; id: string } | null;
  onClose: () => void;
}) {
  const t = useT();
  const q = useSubjectCredit(subject?.type ?? 'company', subject?.id ?? null);
  return (
    <Drawer open={!!subject} onClose={onClose} width={560} title={t('credit.explanation')}>
      {!subject ? null : q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : (
        <ExplanationView e={q.data} />
      )}
    </Drawer>
  );
}

function Scores() {
  const t = useT();
  const q = useCompanyScores();
  const [subject, setSubject] = useState<{ type: SubjectType; id: string } | null>(null);
  const [workerId, setWorkerId] = useState('');
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input
          placeholder={t('credit.workerId')}
          value={workerId}
          onChange={(e) => setWorkerId(e.target.value.trim())}
          style={{ width: 260 }}
        />
        <Button disabled={!workerId} onClick={() => setSubject({ type: 'worker', id: workerId })}>
          {t('credit.lookup')}
        </Button>
      </Space>
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : (
        <Table
          size="small"
          rowKey="companyId"
          dataSource={q.data.items}
          pagination={false}
          columns={[
            { title: t('credit.company'), dataIndex: 'name' },
            { title: t('credit.score'), dataIndex: 'score', render: (s: number) => s.toFixed(2) },
            {
              title: t('credit.level'),
              dataIndex: 'level',
              render: (l: string) => <LevelBadge type="company" level={l} />,
            },
            {
              title: '',
              key: 'view',
              render: (_: unknown, r) => (
                <Button size="small" onClick={() => setSubject({ type: 'company', id: r.companyId })}>
                  {t('credit.explanation')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <SubjectDrawer subject={subject} onClose={() => setSubject(null)} />
    </>
  );
}

function Appeals() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [state, setState] = useState<AppealState | ''>('submitted');
  const q = useAppeals(state);
  const decide = useDecideAppeal();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const act = (id: string, decision: 'uphold' | 'reject') =>
    decide.mutate(
      {
        id,
        decision,
        note:
          notes[id]?.trim() ||
          t(decision === 'uphold' ? 'credit.appeal.upheldNote' : 'credit.appeal.rejectedNote'),
      },
      { onError: (e) => void message.error(e instanceof Error ? e.message : String(e)) },
    );
  return (
    <>
      <Select
        value={state}
        onChange={setState}
        style={{ width: 180, marginBottom: 12 }}
        options={[
          { value: '', label: t('credit.all') },
          ...(['submitted', 'upheld', 'rejected', 'withdrawn'] as const).map((s) => ({
            value: s,
            label: t(`credit.appeal.state.${s}`),
          })),
        ]}
      />
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : q.data.items.length === 0 ? (
        <Empty description={t('credit.appeals.none')} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          dataSource={q.data.items}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            {
              title: t('credit.subject'),
              key: 's',
              render: (_: unknown, a) => `${t(`credit.subject.${a.subjectType}`)} ${a.subjectId}`,
            },
            {
              title: t('credit.indicator'),
              dataIndex: 'indicator',
              render: (k: string) => indicatorLabel(t, k),
            },
            {
              title: t('credit.appeal.reason'),
              key: 'r',
              render: (_: unknown, a) => (
                <>
                  <div>{a.reason}</div>
                  {a.evidence ? <div className="muted small">{a.evidence}</div> : null}
                </>
              ),
            },
            { title: t('credit.date'), dataIndex: 'createdAt', render: (d: string) => formatDate(d, locale) },
            {
              title: t('credit.state'),
              key: 'st',
              render: (_: unknown, a) =>
                a.state === 'submitted' ? (
                  <Space direction="vertical">
                    <Input
                      size="small"
                      placeholder={t('credit.appeal.notePlaceholder')}
                      value={notes[a.id] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [a.id]: e.target.value })}
                    />
                    <Space>
                      <Button size="small" type="primary" onClick={() => act(a.id, 'uphold')}>
                        {t('credit.appeal.uphold')}
                      </Button>
                      <Button size="small" danger onClick={() => act(a.id, 'reject')}>
                        {t('credit.appeal.reject')}
                      </Button>
                    </Space>
                  </Space>
                ) : (
                  <AppealTag state={a.state} />
                ),
            },
          ]}
        />
      )}
    </>
  );
}

function Lists() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const red = usePublicList('red');
  const black = usePublicList('black');
  const add = useAddListEntry();
  const remove = useRemoveListEntry();
  const [form] = Form.useForm<{
    subjectType: SubjectType;
    subjectId: string;
    list: 'red' | 'black';
    reason: string;
  }>();
  const items = [...(black.data?.items ?? []), ...(red.data?.items ?? [])];
  return (
    <>
      <Card size="small" title={t('credit.list.add')} style={{ marginBottom: 12 }}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ subjectType: 'company', list: 'black' }}
          onFinish={(v) =>
            add.mutate(v, {
              onSuccess: () => form.resetFields(['subjectId', 'reason']),
              onError: (e) => void message.error(e instanceof Error ? e.message : String(e)),
            })
          }
        >
          <Form.Item name="subjectType">
            <Select
              style={{ width: 110 }}
              options={(['company', 'worker'] as const).map((s) => ({
                value: s,
                label: t(`credit.subject.${s}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="subjectId"
            rules={[{ required: true, whitespace: true, message: t('credit.required') }]}
          >
            <Input placeholder={t('credit.subjectId')} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="list">
            <Select
              style={{ width: 110 }}
              options={(['black', 'red'] as const).map((l) => ({ value: l, label: t(`credit.list.${l}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            rules={[{ required: true, whitespace: true, message: t('credit.required') }]}
          >
            <Input placeholder={t('credit.list.reason')} style={{ width: 240 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('credit.list.addButton')}
          </Button>
        </Form>
      </Card>
      {red.isPending || black.isPending ? (
        <PageLoader />
      ) : (
        <Table
          size="small"
          rowKey="id"
          dataSource={items}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            {
              title: t('credit.list'),
              dataIndex: 'list',
              render: (l: 'red' | 'black') => t(`credit.list.${l}`),
            },
            { title: t('credit.name'), dataIndex: 'name' },
            { title: t('credit.list.reason'), dataIndex: 'reason' },
            { title: t('credit.date'), dataIndex: 'listedAt', render: (d: string) => formatDate(d, locale) },
            {
              title: '',
              key: 'rm',
              render: (_: unknown, r) => (
                <Popconfirm title={t('credit.list.removeConfirm')} onConfirm={() => remove.mutate(r.id)}>
                  <Button size="small">{t('credit.list.remove')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

function ScorecardEditor() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const versions = useScorecards();
  const publish = usePublishScorecard();
  const recompute = useRecompute();
  const [text, setText] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  if (versions.isPending) return <PageLoader />;
  if (versions.isError) return <ErrorAlert error={versions.error} />;
  const current = versions.data[0];
  const value = text ?? JSON.stringify(current?.config ?? {}, null, 2);
  const submit = () => {
    let config: unknown;
    try {
      config = JSON.parse(value);
    } catch {
      void message.error(t('credit.scorecard.badJson'));
      return;
    }
    setProblem(null);
    publish.mutate(
      { config, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: (s) => {
          setText(null);
          void message.success(t('credit.scorecard.published', { v: s.version }));
        },
        onError: (e) => setProblem(e),
      },
    );
  };
  return (
    <>
      <p className="muted">{t('credit.scorecard.help')}</p>
      <Space wrap style={{ marginBottom: 8 }}>
        <span>{t('credit.scorecard.current', { v: current?.version ?? '-' })}</span>
        <Button
          loading={recompute.isPending}
          onClick={() =>
            recompute.mutate(undefined, {
              onSuccess: (r) =>
                void message.success(t('credit.recomputed', { c: r.companies, w: r.workers, ms: r.ms })),
            })
          }
        >
          {t('credit.recompute')}
        </Button>
      </Space>
      <Input.TextArea
        aria-label={t('credit.scorecard.config')}
        value={value}
        onChange={(e) => setText(e.target.value)}
        rows={18}
        className="credit-json"
        spellCheck={false}
      />
      <Space wrap style={{ marginTop: 8 }}>
        <Input
          placeholder={t('credit.scorecard.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ width: 260 }}
        />
        <Button type="primary" onClick={submit} loading={publish.isPending}>
          {t('credit.scorecard.publish')}
        </Button>
      </Space>
      {problem ? (
        <div style={{ marginTop: 8 }} data-testid="scorecard-error">
          <ErrorAlert error={problem} />
          {isApiError(problem) && problem.fieldErrors.length ? (
            <ul>
              {problem.fieldErrors.map((e) => (
                <li key={e.path}>
                  {e.path}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <h3 style={{ marginTop: 16 }}>{t('credit.scorecard.versions')}</h3>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={versions.data}
        columns={[
          { title: t('credit.scorecard.version'), dataIndex: 'version' },
          { title: t('credit.scorecard.note'), dataIndex: 'note' },
          { title: t('credit.date'), dataIndex: 'createdAt', render: (d: string) => formatDate(d, locale) },
        ]}
      />
    </>
  );
}
