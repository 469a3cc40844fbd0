import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Table,
  Tag,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { isApiError } from '../../shared/api';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import {
  useBanks,
  useCourses,
  useCreateBank,
  useCreateExam,
  useExamAction,
  useExamResults,
  useExams,
  useImportQuestions,
  useSubsidyReport,
} from './training.api';
import { useMoney } from '../../shared/money';

export const TOPICS = ['ethics', 'law', 'safety', 'first_aid', 'etiquette', 'skills'] as const;
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

/** Per institution and period: enrolments, completions, hours, pass rate, subsidy due. */
export function SubsidyReportView() {
  const t = useT();
  const money = useMoney();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const report = useSubsidyReport(from, to);
  return (
    <div>
      <DatePicker.RangePicker
        value={range}
        allowClear={false}
        onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        aria-label={t('training.period')}
      />
      <ErrorAlert error={report.error} />
      {report.data?.preJob ? (
        <p className="small" style={{ marginTop: 8 }}>
          {t('training.preJobStats', {
            n: report.data.preJob.attempts,
            rate: report.data.preJob.passRate == null ? '—' : `${report.data.preJob.passRate}%`,
          })}
        </p>
      ) : null}
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="orgId"
        loading={report.isLoading}
        pagination={false}
        scroll={{ x: true }}
        dataSource={report.data?.items ?? []}
        columns={[
          { title: t('training.institution'), dataIndex: 'orgName' },
          { title: t('training.enrolments'), dataIndex: 'enrolments' },
          { title: t('training.completions'), dataIndex: 'completions' },
          { title: t('training.hoursCol'), dataIndex: 'hours' },
          {
            title: t('training.passRate'),
            render: (_, r) => (r.passRate == null ? '—' : `${r.passRate}%`),
          },
          { title: t('training.subsidy'), render: (_, r) => money(r.amountFen) },
        ]}
        summary={() =>
          report.data ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('training.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1}>{report.data.totals.enrolments}</Table.Summary.Cell>
              <Table.Summary.Cell index={2}>{report.data.totals.completions}</Table.Summary.Cell>
              <Table.Summary.Cell index={3}>{report.data.totals.hours}</Table.Summary.Cell>
              <Table.Summary.Cell index={4} />
              <Table.Summary.Cell index={5}>{money(report.data.totals.amountFen)}</Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </div>
  );
}

/** Question banks (create, import with row errors) and exams (create by rules, publish/close, results). */
export function ExamsManager({ regulator }: { regulator: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const banks = useBanks();
  const exams = useExams();
  const createBank = useCreateBank();
  const importQ = useImportQuestions();
  const createExam = useCreateExam();
  const action = useExamAction();
  const [bankName, setBankName] = useState('');
  const [resultsOf, setResultsOf] = useState<string | null>(null);
  const results = useExamResults(resultsOf);
  const [form] = Form.useForm();
  const importErrors = isApiError(importQ.error) ? importQ.error.fieldErrors : [];
  return (
    <div>
      <Card size="small" title={t('training.banks')} className="training-card">
        <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
          <Input
            value={bankName}
            onChange={(e) => setBankName(e.target.value)}
            placeholder={t('training.bankName')}
            aria-label={t('training.bankName')}
          />
          <Button
            disabled={!bankName.trim()}
            loading={createBank.isPending}
            onClick={() => createBank.mutate(bankName.trim(), { onSuccess: () => setBankName('') })}
          >
            {t('training.create')}
          </Button>
        </Space.Compact>
        <p className="muted small">{t('training.importHelp')}</p>
        <ErrorAlert error={createBank.error ?? importQ.error} />
        {importErrors.length ? (
          <List
            size="small"
            className="import-errors"
            dataSource={importErrors}
            renderItem={(e) => (
              <List.Item>
                {e.path}: {e.message}
              </List.Item>
            )}
          />
        ) : null}
        {importQ.data ? <p>{t('training.imported', { n: importQ.data.imported })}</p> : null}
        <List
          dataSource={banks.data?.items ?? []}
          loading={banks.isLoading}
          renderItem={(b) => (
            <List.Item
              actions={[
                <Upload
                  key="import"
                  accept=".xlsx,.csv"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    importQ.mutate({ bankId: b.id, file });
                    return false;
                  }}
                >
                  <Button size="small" loading={importQ.isPending}>
                    {t('training.import')}
                  </Button>
                </Upload>,
              ]}
            >
              {b.name} · {t('training.questionCount', { n: b.questionCount })}
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={t('training.newExam')} className="training-card">
        <ErrorAlert error={createExam.error} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            kind: regulator ? 'pre_job' : 'course',
            timeLimitMinutes: 30,
            passScore: 80,
            maxAttempts: 3,
            cooldownMinutes: 60,
            rules: [{ topic: 'ethics', difficulty: 'easy', count: 2 }],
          }}
          onFinish={(v) => createExam.mutate(v, { onSuccess: () => form.resetFields() })}
        >
          <Form.Item name="title" label={t('training.title')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="bankId" label={t('training.bank')} rules={[{ required: true }]}>
            <Select options={(banks.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))} />
          </Form.Item>
          <Form.Item name="kind" hidden>
            <Input />
          </Form.Item>
          {regulator ? null : <CourseSelect />}
          <Form.List name="rules">
            {(fields, { add, remove }) => (
              <div>
                <div className="muted small">{t('training.rules')}</div>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="baseline">
                    <Form.Item name={[f.name, 'topic']} rules={[{ required: true }]}>
                      <Select
                        aria-label={t('training.topic')}
                        style={{ width: 120 }}
                        options={TOPICS.map((x) => ({
                          value: x,
                          label: t(`training.topic.${x}` as MessageKey),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'difficulty']} rules={[{ required: true }]}>
                      <Select
                        aria-label={t('a11y.training.difficulty')}
                        style={{ width: 90 }}
                        options={DIFFICULTIES.map((x) => ({
                          value: x,
                          label: t(`training.difficulty.${x}` as MessageKey),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'count']} rules={[{ required: true }]}>
                      <InputNumber
                        aria-label={t('a11y.training.count')}
                        min={1}
                        max={100}
                        style={{ width: 70 }}
                      />
                    </Form.Item>
                    <Button size="small" onClick={() => remove(f.name)}>
                      {t('training.remove')}
                    </Button>
                  </Space>
                ))}
                <Button size="small" onClick={() => add({ topic: 'law', difficulty: 'easy', count: 1 })}>
                  {t('training.addRule')}
                </Button>
              </div>
            )}
          </Form.List>
          <Space wrap style={{ marginTop: 12 }}>
            <Form.Item name="timeLimitMinutes" label={t('training.timeLimit')}>
              <InputNumber min={1} max={600} />
            </Form.Item>
            <Form.Item name="passScore" label={t('training.passScore')}>
              <InputNumber min={1} max={100} />
            </Form.Item>
            <Form.Item name="maxAttempts" label={t('training.maxAttempts')}>
              <InputNumber min={1} max={20} />
            </Form.Item>
            <Form.Item name="cooldownMinutes" label={t('training.cooldown')}>
              <InputNumber min={0} max={43200} />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={createExam.isPending}>
            {t('training.create')}
          </Button>
        </Form>
      </Card>

      <Card size="small" title={t('training.exams')} className="training-card">
        <ErrorAlert error={action.error} />
        <List
          dataSource={exams.data?.items ?? []}
          loading={exams.isLoading}
          renderItem={(e) => (
            <List.Item>
              <div style={{ width: '100%' }}>
                <div>
                  {e.title} <Tag>{t(`training.examState.${e.state}` as MessageKey)}</Tag>
                </div>
                <div className="muted small">
                  {t('training.examFacts', {
                    n: e.questionCount,
                    minutes: e.timeLimitMinutes,
                    pass: e.passScore,
                  })}
                </div>
                <Space wrap style={{ marginTop: 4 }}>
                  {e.state === 'draft' ? (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => action.mutate({ id: e.id, action: 'publish' })}
                    >
                      {t('training.publish')}
                    </Button>
                  ) : null}
                  {e.state !== 'closed' ? (
                    <Button size="small" onClick={() => action.mutate({ id: e.id, action: 'close' })}>
                      {t('training.close')}
                    </Button>
                  ) : null}
                  <Button size="small" onClick={() => setResultsOf(resultsOf === e.id ? null : e.id)}>
                    {t('training.results')}
                  </Button>
                </Space>
                {resultsOf === e.id ? (
                  <Table
                    size="small"
                    rowKey="id"
                    style={{ marginTop: 8 }}
                    loading={results.isLoading}
                    pagination={false}
                    scroll={{ x: true }}
                    dataSource={results.data?.items ?? []}
                    columns={[
                      { title: t('training.trainee'), dataIndex: 'workerName' },
                      { title: t('training.score'), dataIndex: 'score' },
                      {
                        title: t('training.passed'),
                        render: (_, r) => (r.passed ? <Tag color="success">✓</Tag> : <Tag>✗</Tag>),
                      },
                      {
                        title: t('training.breakdown'),
                        render: (_, r) =>
                          r.breakdown
                            .map((b) => `${b.topicLabel} ${b.earned}/${b.total}`)
                            .join(t('common.listSep')),
                      },
                      {
                        title: t('training.date'),
                        render: (_, r) =>
                          new Date(r.submittedAt ?? r.startedAt).toLocaleDateString(
                            locale === 'en' ? 'en-GB' : 'zh-CN',
                            {
                              timeZone: 'Asia/Shanghai',
                            },
                          ),
                      },
                    ]}
                  />
                ) : null}
              </div>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}

/** The course an institution's exam completes (its hours + this exam = the training certificate). */
function CourseSelect() {
  const t = useT();
  const courses = useCourses();
  return (
    <Form.Item name="courseId" label={t('training.course')} rules={[{ required: true }]}>
      <Select options={(courses.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))} />
    </Form.Item>
  );
}
