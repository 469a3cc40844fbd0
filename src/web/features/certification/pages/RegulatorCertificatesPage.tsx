import { Button, Card, Form, Input, Modal, Select, Space, Table, message } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { isApiError } from '../../../shared/api';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useCertificateAction, useCertificateList, useRegulatorWorker } from '../certification.api';
import type { CertificateListItem } from '../certification.types';
import { Checklist, TrustBadge } from '../components';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

type ReasonAction = { kind: 'suspend' | 'revoke'; item: CertificateListItem } | null;

/** /regulator/certificates: search, filter by colour/state, issue with a checklist, suspend/reinstate/revoke. */
export default function RegulatorCertificatesPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.regulator.certificates'));
  const [filters, setFilters] = useState<{ q?: string; state?: string; color?: string }>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useCertificateList({ ...filters, cursor: cursors.at(-1) });
  // Opened from the regulator's worker list with ?worker=<id>: the checklist for that worker shows at once.
  const [params] = useSearchParams();
  const [workerId, setWorkerId] = useState<string | null>(params.get('worker'));
  const worker = useRegulatorWorker(workerId);
  const act = useCertificateAction();
  const [reasonAction, setReasonAction] = useState<ReasonAction>(null);
  const [reasonForm] = Form.useForm<{ reason: string }>();

  const run = async (a: Parameters<typeof act.mutateAsync>[0]) => {
    try {
      await act.mutateAsync(a);
      message.success(t('cert.done'));
      return true;
    } catch (e) {
      message.error(isApiError(e) ? e.localized(locale) : String(e));
      return false;
    }
  };

  return (
    <div className="console-page">
      <h1>{t('sec.regulator.certificates')}</h1>
      <Card title={t('cert.issue.title')} size="small" className="cert-issue">
        <Form
          layout="inline"
          initialValues={{ workerId: params.get('worker') ?? '' }}
          onFinish={(v: { workerId: string }) => setWorkerId(v.workerId.trim())}
        >
          <Form.Item
            name="workerId"
            label={t('cert.workerId')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input placeholder="wk_…" allowClear />
          </Form.Item>
          <Button htmlType="submit">{t('cert.issue.check')}</Button>
        </Form>
        {worker.error ? <ErrorAlert error={worker.error} /> : null}
        {worker.data ? (
          <div className="cert-worker">
            <p>
              <strong>{worker.data.worker.name}</strong> · {worker.data.worker.district}{' '}
              <TrustBadge color={worker.data.color} reason={worker.data.reason} />
            </p>
            <Checklist checks={worker.data.checks} />
            <Button
              type="primary"
              disabled={!worker.data.canIssue}
              loading={act.isPending}
              onClick={() => run({ kind: 'issue', workerId: worker.data!.worker.id })}
            >
              {t('cert.issue.submit')}
            </Button>
            {!worker.data.canIssue ? <p className="muted">{t('cert.issue.blocked')}</p> : null}
          </div>
        ) : null}
      </Card>

      <Space wrap className="cert-filters">
        <Input.Search
          placeholder={t('cert.search')}
          allowClear
          onSearch={(q) => {
            setCursors([]);
            setFilters((f) => ({ ...f, q: q.trim() || undefined }));
          }}
        />
        <FilterSegmented
          label={t('cert.colourFilterLabel')}
          options={[
            { label: t('cert.all'), value: '' },
            { label: t('portal.code.green'), value: 'green' },
            { label: t('portal.code.yellow'), value: 'yellow' },
            { label: t('portal.code.red'), value: 'red' },
          ]}
          onChange={(v) => {
            setCursors([]);
            setFilters((f) => ({ ...f, color: (v as string) || undefined }));
          }}
        />
        <Select
          aria-label={t('verify.field.state')}
          allowClear
          placeholder={t('verify.field.state')}
          style={{ minWidth: 120 }}
          options={(['active', 'suspended', 'revoked'] as const).map((s) => ({
            value: s,
            label: t(`verify.state.${s}`),
          }))}
          onChange={(v?: string) => {
            setCursors([]);
            setFilters((f) => ({ ...f, state: v }));
          }}
        />
      </Space>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      <Table<CertificateListItem>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: t('verify.field.number'), dataIndex: 'number' },
          { title: t('verify.field.name'), dataIndex: 'workerName' },
          { title: t('cert.status'), render: (_, r) => <TrustBadge color={r.color} reason={r.reason} /> },
          {
            title: t('verify.field.state'),
            render: (_, r) =>
              r.stateReason
                ? t('common.labelValue', {
                    label: t(`verify.state.${r.state}` as MessageKey),
                    value: r.stateReason,
                  })
                : t(`verify.state.${r.state}` as MessageKey),
          },
          { title: t('verify.field.validity'), render: (_, r) => formatDate(r.validUntil, locale) },
          {
            title: t('cert.actions'),
            render: (_, r) => (
              <Space size="small" wrap>
                {r.state === 'active' ? (
                  <Button size="small" onClick={() => setReasonAction({ kind: 'suspend', item: r })}>
                    {t('cert.suspend')}
                  </Button>
                ) : null}
                {r.state === 'suspended' ? (
                  <Button size="small" onClick={() => run({ kind: 'reinstate', id: r.id })}>
                    {t('cert.reinstate')}
                  </Button>
                ) : null}
                {r.state !== 'revoked' ? (
                  <Button size="small" danger onClick={() => setReasonAction({ kind: 'revoke', item: r })}>
                    {t('cert.revoke')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Space className="pager">
        <Button disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('cert.prev')}
        </Button>
        <Button
          disabled={!list.data?.nextCursor}
          onClick={() => list.data?.nextCursor && setCursors((c) => [...c, list.data!.nextCursor!])}
        >
          {t('cert.next')}
        </Button>
      </Space>

      <Modal
        open={!!reasonAction}
        title={reasonAction ? `${t(`cert.${reasonAction.kind}`)} · ${reasonAction.item.number}` : ''}
        okText={reasonAction ? t(`cert.${reasonAction.kind}`) : ''}
        okButtonProps={{ danger: reasonAction?.kind === 'revoke', loading: act.isPending }}
        onCancel={() => setReasonAction(null)}
        onOk={() => reasonForm.submit()}
        destroyOnHidden
      >
        {reasonAction?.kind === 'revoke' ? <p>{t('cert.revoke.final')}</p> : null}
        <Form
          form={reasonForm}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            if (
              reasonAction &&
              (await run({ kind: reasonAction.kind, id: reasonAction.item.id, reason: v.reason }))
            )
              setReasonAction(null);
          }}
        >
          <Form.Item
            name="reason"
            label={t('cert.reason')}
            rules={[{ required: true, whitespace: true, max: 500 }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
