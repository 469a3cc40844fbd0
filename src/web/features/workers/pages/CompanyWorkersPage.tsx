import { App, Button, Card, Form, Input, Modal, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useMe } from '../../identity/identity.api';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { idProblem } from './WorkerProfilePage';
import { StateTag, useLabels } from '../labels';
import { useCompanyWorkers, useEndEmployment, useHire, useOnboardWorker } from '../workers.api';
import type { ListItem } from '../workers.types';

/** The company's workers: list, onboard a worker (SMS confirmation), hire by ID number, end employment. */
export default function CompanyWorkersPage() {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  const { message } = App.useApp();
  const me = useMe();
  const companyId = me.data?.memberships.find((m) => m.orgType === 'company')?.orgId;
  const list = useCompanyWorkers(companyId);
  const onboard = useOnboardWorker(companyId ?? '');
  const hire = useHire(companyId ?? '');
  const end = useEndEmployment(companyId ?? '');
  const [mode, setMode] = useState<'onboard' | 'hire' | null>(null);
  const [ending, setEnding] = useState<ListItem | null>(null);
  const [form] = Form.useForm();
  const [endForm] = Form.useForm();

  const submit = async () => {
    const v = await form.validateFields();
    try {
      if (mode === 'onboard') {
        await onboard.mutateAsync(v);
        message.success(t('wk.company.smsSent'));
      } else {
        await hire.mutateAsync({ workerId: v.workerId.trim(), idNumber: v.idNumber });
        message.success(t('wk.saved'));
      }
      setMode(null);
      form.resetFields();
    } catch (e) {
      applyFieldErrors(form, e, locale);
    }
  };

  if (!companyId) return <Card>{t('wk.company.none')}</Card>;
  return (
    <Card
      title={t('wk.company.title')}
      extra={
        <Space wrap>
          <Button type="primary" onClick={() => setMode('onboard')}>
            {t('wk.company.onboard')}
          </Button>
          <Button onClick={() => setMode('hire')}>{t('wk.company.hire')}</Button>
        </Space>
      }
    >
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
            title: t('wk.field.categories'),
            dataIndex: 'categories',
            render: (c: string[]) => c.map(l.category).join(t('common.listSep')),
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
            render: (_: unknown, w) =>
              w.employedSince ? (
                <Button size="small" type="link" danger onClick={() => setEnding(w)}>
                  {t('wk.company.end')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!mode}
        title={mode === 'onboard' ? t('wk.company.onboard') : t('wk.company.hire')}
        onCancel={() => setMode(null)}
        onOk={submit}
        confirmLoading={onboard.isPending || hire.isPending}
        destroyOnClose
      >
        <Form form={form} layout="vertical" preserve={false}>
          {mode === 'hire' && (
            <Form.Item name="workerId" label={t('wk.company.workerId')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          )}
          {mode === 'onboard' && (
            <Form.Item name="name" label={t('wk.field.name')} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
          )}
          <Form.Item
            name="idNumber"
            label={t('wk.field.idNumber')}
            rules={[
              { required: true },
              {
                validator: async (_r, v: string) => {
                  const p = v ? idProblem(v) : null;
                  if (p) throw new Error(t(p));
                },
              },
            ]}
          >
            <Input maxLength={18} />
          </Form.Item>
          {mode === 'onboard' && (
            <>
              <Form.Item
                name="phone"
                label={t('wk.field.phone')}
                rules={[{ required: true }]}
                extra={t('wk.company.smsHint')}
              >
                <Input inputMode="tel" maxLength={11} />
              </Form.Item>
              <Form.Item name="district" label={t('wk.field.district')}>
                <Select options={l.districtOptions} />
              </Form.Item>
              <Form.Item name="categories" label={t('wk.field.categories')} rules={[{ required: true }]}>
                <Select mode="multiple" options={l.categoryOptions} />
              </Form.Item>
              <Form.Item name="skillLevel" label={t('wk.field.skillLevel')}>
                <Select allowClear options={l.skillOptions} />
              </Form.Item>
            </>
          )}
          {onboard.error || hire.error ? <ErrorAlert error={onboard.error ?? hire.error} /> : null}
        </Form>
      </Modal>
      <Modal
        open={!!ending}
        title={`${ending?.name ?? ''} · ${t('wk.company.end')}`}
        onCancel={() => setEnding(null)}
        confirmLoading={end.isPending}
        onOk={async () => {
          const v = await endForm.validateFields();
          await end.mutateAsync({ workerId: ending!.id, reason: v.reason });
          setEnding(null);
          endForm.resetFields();
        }}
      >
        <Form form={endForm} layout="vertical">
          <Form.Item name="reason" label={t('wk.company.endReason')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          {end.error ? <ErrorAlert error={end.error} /> : null}
        </Form>
      </Modal>
    </Card>
  );
}
