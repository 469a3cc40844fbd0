import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { StateTag, useLabels } from '../labels';
import { useRecordCheck, useRecordTraining, useRegulatorWorkers } from '../workers.api';
import type { ListItem } from '../workers.types';

type Action = { kind: 'check' | 'training'; worker: ListItem };

/** Workers in the regulator's jurisdiction, with actions to record a background check or a training result. */
export default function RegulatorWorkersPage() {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Record<string, string | undefined>>({ limit: '50' });
  const list = useRegulatorWorkers(filters);
  const check = useRecordCheck();
  const training = useRecordTraining();
  const [action, setAction] = useState<Action | null>(null);
  const [form] = Form.useForm();

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields();
    const fmt = (d?: { format(s: string): string }) => d?.format('YYYY-MM-DD');
    try {
      if (action.kind === 'check') {
        await check.mutateAsync({
          workerId: action.worker.id,
          body: {
            state: v.state,
            ...(v.checkedOn ? { checkedOn: fmt(v.checkedOn) } : {}),
            ...(v.reference ? { reference: v.reference } : {}),
          },
        });
      } else {
        await training.mutateAsync({
          workerId: action.worker.id,
          body: {
            courseName: v.courseName,
            passed: !!v.passed,
            ...(v.score != null ? { score: v.score } : {}),
            examDate: fmt(v.examDate),
          },
        });
      }
      message.success(t('wk.saved'));
      setAction(null);
      form.resetFields();
    } catch (e) {
      applyFieldErrors(form, e, locale);
    }
  };

  return (
    <Card title={t('wk.regulator.title')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('wk.field.district')}
          style={{ width: 160 }}
          allowClear
          placeholder={t('wk.field.district')}
          options={l.districtOptions}
          onChange={(v) => setFilters((f) => ({ ...f, district: v }))}
        />
        <Input.Search
          style={{ width: 200 }}
          allowClear
          placeholder={t('wk.field.name')}
          onSearch={(v) => setFilters((f) => ({ ...f, name: v || undefined }))}
        />
      </Space>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      <Table<ListItem>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: t('wk.field.name'), dataIndex: 'name' },
          { title: t('wk.field.idNumber'), dataIndex: 'idNumberMasked' },
          {
            title: t('wk.field.district'),
            dataIndex: 'district',
            render: (d: string | null) => l.district(d),
          },
          {
            title: t('wk.check.health'),
            key: 'health',
            render: (_: unknown, w) => <StateTag state={w.health.state} />,
          },
          { title: t('wk.field.status'), dataIndex: 'status', render: (s: string) => <StateTag state={s} /> },
          {
            title: t('wk.actions'),
            key: 'actions',
            render: (_: unknown, w) => (
              <Space wrap>
                <Button size="small" type="link" onClick={() => setAction({ kind: 'check', worker: w })}>
                  {t('wk.regulator.check')}
                </Button>
                <Button size="small" type="link" onClick={() => setAction({ kind: 'training', worker: w })}>
                  {t('wk.regulator.training')}
                </Button>
                <Link to={`/regulator/certificates?worker=${encodeURIComponent(w.id)}`}>
                  {t('wk.regulator.certify')}
                </Link>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!action}
        title={
          action
            ? `${action.worker.name} · ${t(action.kind === 'check' ? 'wk.regulator.check' : 'wk.regulator.training')}`
            : ''
        }
        onCancel={() => setAction(null)}
        onOk={submit}
        confirmLoading={check.isPending || training.isPending}
        destroyOnClose
      >
        <Form form={form} layout="vertical" preserve={false}>
          {action?.kind === 'check' ? (
            <>
              <Form.Item name="state" label={t('wk.field.status')} rules={[{ required: true }]}>
                <Select
                  options={['clear', 'record_found', 'pending'].map((s) => ({
                    value: s,
                    label: t(`wk.state.${s}` as 'wk.state.clear'),
                  }))}
                />
              </Form.Item>
              <Form.Item name="checkedOn" label={t('wk.regulator.checkedOn')}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="reference" label={t('wk.regulator.reference')}>
                <Input maxLength={100} />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item
                name="courseName"
                label={t('wk.regulator.course')}
                rules={[{ required: true }]}
                initialValue={t('wk.regulator.courseDefault')}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="passed" label={t('wk.state.passed')} valuePropName="checked" initialValue>
                <Switch />
              </Form.Item>
              <Form.Item name="score" label={t('wk.regulator.score')}>
                <InputNumber min={0} max={100} />
              </Form.Item>
              <Form.Item name="examDate" label={t('wk.regulator.examDate')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
            </>
          )}
          {check.error || training.error ? <ErrorAlert error={check.error ?? training.error} /> : null}
        </Form>
      </Modal>
    </Card>
  );
}
