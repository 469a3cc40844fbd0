import { Button, Card, DatePicker, Form, Input, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  useAddTrainees,
  useCohort,
  useCohorts,
  useCreateCohort,
  useMarkArrived,
  useRegions,
} from '../recruitment.api';
import type { Cohort } from '../recruitment.types';
import { RegionTable } from './RegulatorEmploymentPage';
import '../recruitment.css';

/** /regulator/cohorts: cross-region cohorts (订单班), their trainees' placement and retention, the source-region report. */
export default function RegulatorCohortsSection() {
  return (
    <Routes>
      <Route index element={<List />} />
      <Route path=":id" element={<One />} />
    </Routes>
  );
}

function List() {
  const t = useT();
  useDocumentTitle(t('sec.regulator.cohorts'));
  const cohorts = useCohorts();
  const regions = useRegions();
  const create = useCreateCohort();
  const [form] = Form.useForm();
  const required = [{ required: true, message: t('recruitment.required') }];
  return (
    <div className="recruitment-page">
      <h1>{t('sec.regulator.cohorts')}</h1>
      <h2>{t('recruitment.stats.bySource')}</h2>
      {regions.data && <RegionTable rows={regions.data.items} />}
      <h2>{t('recruitment.cohort.list')}</h2>
      {cohorts.isPending ? (
        <PageLoader />
      ) : cohorts.error ? (
        <ErrorAlert error={cohorts.error} />
      ) : (
        <Table<Cohort>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={cohorts.data.items}
          columns={[
            {
              title: t('recruitment.cohort.name'),
              render: (_, c) => <Link to={`/regulator/cohorts/${c.id}`}>{c.name}</Link>,
            },
            { title: t('recruitment.cohort.source'), dataIndex: 'sourceRegionName' },
            { title: t('recruitment.cohort.arrived'), render: (_, c) => c.arrivedOn ?? c.plannedArrivalOn },
            { title: t('recruitment.cohort.trainees'), render: (_, c) => c.summary.trainees },
            { title: t('recruitment.cohort.placed'), render: (_, c) => c.summary.placed },
            {
              title: t('recruitment.cohort.retained3'),
              render: (_, c) => `${c.summary.retained3}/${c.summary.due3}`,
            },
          ]}
        />
      )}
      <h2>{t('recruitment.cohort.new')}</h2>
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 560 }}
        initialValues={{ sourceRegionCode: '520500', sourceRegionName: '' }}
        onFinish={(v: {
          name: string;
          sourceRegionCode: string;
          sourceRegionName: string;
          trainingClassId?: string;
          plannedArrivalOn: Dayjs;
        }) =>
          create.mutate(
            {
              name: v.name,
              sourceRegionCode: v.sourceRegionCode,
              sourceRegionName: v.sourceRegionName,
              trainingClassId: v.trainingClassId || null,
              plannedArrivalOn: v.plannedArrivalOn.format('YYYY-MM-DD'),
            },
            { onSuccess: () => form.resetFields() },
          )
        }
      >
        <Form.Item name="name" label={t('recruitment.cohort.name')} rules={required}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="sourceRegionCode" label={t('recruitment.cohort.sourceCode')} rules={required}>
          <Input maxLength={6} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="sourceRegionName" label={t('recruitment.cohort.source')} rules={required}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="trainingClassId" label={t('recruitment.cohort.trainingClass')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="plannedArrivalOn" label={t('recruitment.cohort.planned')} rules={required}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {create.error && <ErrorAlert error={create.error} />}
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('recruitment.cohort.create')}
        </Button>
      </Form>
    </div>
  );
}

function One() {
  const { id = '' } = useParams();
  const t = useT();
  const cohort = useCohort(id);
  const add = useAddTrainees();
  const arrive = useMarkArrived();
  const [ids, setIds] = useState('');
  const [arrivedOn, setArrivedOn] = useState<Dayjs | null>(null);
  useDocumentTitle(cohort.data?.name ?? t('sec.regulator.cohorts'));
  if (cohort.isPending) return <PageLoader />;
  if (cohort.error) return <ErrorAlert error={cohort.error} />;
  const c = cohort.data;
  const yesNo = (v: boolean | null) =>
    v === null ? '—' : <Tag color={v ? 'green' : 'red'}>{t(v ? 'recruitment.yes' : 'recruitment.no')}</Tag>;
  return (
    <div className="recruitment-page">
      <Link to="/regulator/cohorts">← {t('recruitment.back')}</Link>
      <h1>{c.name}</h1>
      <p className="recruitment-meta">
        {c.sourceRegionName} · {t('recruitment.cohort.arrived')}: {c.arrivedOn ?? '—'} ·{' '}
        {t('recruitment.cohort.summary', { ...c.summary })}
      </p>
      {c.trainingClassId && (
        <p className="recruitment-meta">
          {t('recruitment.cohort.trainingClass')}: {c.trainingClassId}
        </p>
      )}
      <Table
        rowKey="workerId"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={c.trainees}
        columns={[
          { title: t('recruitment.cohort.trainee'), dataIndex: 'name' },
          { title: t('recruitment.cohort.company'), render: (_, r) => r.company?.name ?? '—' },
          { title: t('recruitment.cohort.placedOn'), render: (_, r) => r.placedOn ?? '—' },
          { title: t('recruitment.cohort.retained3'), render: (_, r) => yesNo(r.retained3) },
          { title: t('recruitment.cohort.retained6'), render: (_, r) => yesNo(r.retained6) },
        ]}
      />
      {(add.error || arrive.error) && <ErrorAlert error={add.error ?? arrive.error} />}
      <Card size="small" style={{ marginTop: 16 }}>
        <Form layout="vertical">
          <Form.Item label={t('recruitment.cohort.addTrainees')} extra={t('recruitment.cohort.addHelp')}>
            <Input.TextArea rows={2} value={ids} onChange={(e) => setIds(e.target.value)} />
          </Form.Item>
          <Button
            disabled={!ids.trim()}
            loading={add.isPending}
            onClick={() =>
              add.mutate(
                { id: c.id, workerIds: ids.split(/[\s,，]+/).filter(Boolean) },
                { onSuccess: () => setIds('') },
              )
            }
          >
            {t('recruitment.cohort.add')}
          </Button>
          <Form.Item label={t('recruitment.cohort.arrivedOn')} style={{ marginTop: 16 }}>
            <DatePicker value={arrivedOn} onChange={setArrivedOn} />
          </Form.Item>
          <Button
            disabled={!arrivedOn}
            loading={arrive.isPending}
            onClick={() =>
              arrivedOn && arrive.mutate({ id: c.id, arrivedOn: arrivedOn.format('YYYY-MM-DD') })
            }
          >
            {t('recruitment.cohort.markArrived')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
