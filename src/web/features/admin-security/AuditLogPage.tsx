import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type Locale, useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import {
  type AuditEntry,
  type AuditFilter,
  auditQueryString,
  useAuditLog,
  useVerifyChain,
} from './admin-security.api';

const when = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));

interface FilterValues {
  from?: Dayjs | null;
  to?: Dayjs | null;
  action?: string;
  objectType?: string;
  objectId?: string;
  actorId?: string;
  outcome?: AuditFilter['outcome'] | '';
}

const outcomeColor: Record<string, string> = { ok: 'green', denied: 'orange', failed: 'red' };

/** 审计管理员: the audit log, filtered and paged; verify the chain; export CSV. Each read is itself audited. */
export default function AuditLogPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('auditlog.title'));
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const log = useAuditLog(filter);
  const verify = useVerifyChain();
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  const onFinish = (v: FilterValues) => {
    const f: AuditFilter = {};
    if (v.from) f.from = v.from.toISOString();
    if (v.to) f.to = v.to.toISOString();
    for (const k of ['action', 'objectType', 'objectId', 'actorId'] as const) {
      const value = v[k]?.trim();
      if (value) f[k] = value;
    }
    if (v.outcome) f.outcome = v.outcome;
    setFilter(f);
  };

  return (
    <div className="console-page">
      <h1>{t('auditlog.title')}</h1>
      <Alert type="info" showIcon message={t('auditlog.note')} className="form-alert" />
      <Form form={form} layout="inline" name="audit-filter" onFinish={onFinish} className="audit-filter">
        <Form.Item name="from" label={t('auditlog.from')}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="to" label={t('auditlog.to')}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="action" label={t('auditlog.action')}>
          <Input placeholder={t('auditlog.actionPlaceholder')} maxLength={80} />
        </Form.Item>
        <Form.Item name="objectType" label={t('auditlog.objectType')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="objectId" label={t('auditlog.objectId')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="actorId" label={t('auditlog.actorId')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="outcome" label={t('auditlog.outcome')} initialValue="">
          <Select
            style={{ width: 120 }}
            options={[
              { value: '', label: t('auditlog.outcome.any') },
              { value: 'ok', label: t('auditlog.outcome.ok') },
              { value: 'denied', label: t('auditlog.outcome.denied') },
              { value: 'failed', label: t('auditlog.outcome.failed') },
            ]}
          />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            {t('auditlog.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setFilter({});
            }}
          >
            {t('auditlog.reset')}
          </Button>
        </Space>
      </Form>
      <Space wrap className="audit-actions">
        <Button onClick={() => verify.mutate()} loading={verify.isPending}>
          {t('auditlog.verify')}
        </Button>
        <Button href={`/api/v1/audit/export.csv${auditQueryString(filter)}`} download>
          {t('auditlog.export')}
        </Button>
      </Space>
      {verify.data && (
        <Alert
          role="status"
          showIcon
          type={verify.data.ok ? 'success' : 'error'}
          message={
            verify.data.ok
              ? t('auditlog.verifyOk', { n: verify.data.checked })
              : verify.data.problem
                ? t(`auditlog.problem.${verify.data.problem.kind}` as const, {
                    seq: verify.data.problem.seq ?? verify.data.start.seq,
                  })
                : t('auditlog.verifyBroken', { seq: verify.data.firstBroken?.seq ?? 0 })
          }
          description={
            verify.data.start.n > 0
              ? t('auditlog.verifyFromCheckpoint', { n: verify.data.start.n, seq: verify.data.start.seq })
              : undefined
          }
          className="form-alert"
        />
      )}
      <ErrorAlert error={verify.error ?? log.error} className="form-alert" />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={log.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('auditlog.empty') }}
        columns={[
          {
            title: t('auditlog.col.at'),
            dataIndex: 'at',
            render: (v: string) => when(v, locale),
            width: 170,
          },
          {
            title: t('auditlog.col.actor'),
            key: 'actor',
            render: (_, e) =>
              e.actor ? (
                <>
                  {e.actor.nameMasked} <span className="muted small">{e.actor.id}</span>
                </>
              ) : (
                t('auditlog.system')
              ),
          },
          { title: t('auditlog.col.action'), dataIndex: 'action' },
          {
            title: t('auditlog.col.object'),
            key: 'object',
            render: (_, e) => [e.objectType, e.objectId].filter(Boolean).join(' · '),
          },
          {
            title: t('auditlog.col.outcome'),
            dataIndex: 'outcome',
            render: (o: string) => (
              <Tag bordered={false} color={outcomeColor[o]}>
                {o === 'ok' || o === 'denied' || o === 'failed' ? t(`auditlog.outcome.${o}` as const) : o}
              </Tag>
            ),
          },
          { title: t('auditlog.col.ip'), dataIndex: 'ipMasked' },
          {
            title: t('auditlog.col.detail'),
            dataIndex: 'detail',
            render: (d: AuditEntry['detail']) =>
              d ? <code className="audit-detail">{JSON.stringify(d)}</code> : null,
          },
        ]}
      />
      {log.hasNextPage && (
        <Button onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t('auditlog.more')}
        </Button>
      )}
    </div>
  );
}
