import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
} from 'antd';
import { useState } from 'react';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ApplicationTag, formatTime, OrgStatusTag, useOrgLabels } from '../labels';
import {
  licenceUrl,
  useDecision,
  useRegulatorCompanies,
  useRegulatorCompany,
  useStatusChange,
} from '../orgs.api';
import type { ApplicationStatus, CompanyDetail, OrgStatus } from '../orgs.types';

const states: ApplicationStatus[] = ['submitted', 'needs_more_info', 'approved', 'rejected'];
const statuses: OrgStatus[] = ['pending', 'active', 'suspended', 'expelled'];

type Act =
  | { kind: 'decision'; value: 'approve' | 'reject' | 'request_info' }
  | { kind: 'status'; value: 'suspend' | 'reinstate' | 'expel' };
const needsReason = (a: Act) => a.value !== 'approve' && a.value !== 'reinstate';

/** 企业审核: the review queue with filters, a detail drawer with the licence, decisions and supervision. */
export default function RegulatorCompaniesPage() {
  const t = useT();
  const { locale } = useLocale();
  const labels = useOrgLabels();
  useDocumentTitle(t('org.reg.title'));
  const [state, setState] = useState<string | undefined>('submitted');
  const [status, setStatus] = useState<string | undefined>();
  const [district, setDistrict] = useState<string | undefined>();
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useRegulatorCompanies({ state, status, district });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="console-page">
      <h1 className="section-heading">{t('org.reg.title')}</h1>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('org.reg.state')}
          allowClear
          placeholder={t('org.reg.state')}
          style={{ width: 150 }}
          value={state}
          onChange={setState}
          options={states.map((s) => ({ value: s, label: t(`org.app.${s}` as MessageKey) }))}
        />
        <Select
          aria-label={t('org.reg.status')}
          allowClear
          placeholder={t('org.reg.status')}
          style={{ width: 130 }}
          value={status}
          onChange={setStatus}
          options={statuses.map((s) => ({ value: s, label: t(`org.status.${s}` as MessageKey) }))}
        />
        <Select
          aria-label={t('org.f.district')}
          allowClear
          placeholder={t('org.f.district')}
          style={{ width: 130 }}
          value={district}
          onChange={setDistrict}
          options={labels.districtOptions}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Table
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={items}
        pagination={false}
        scroll={{ x: true }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('org.f.name'), dataIndex: 'name', width: 160 },
          {
            title: t('org.f.district'),
            dataIndex: 'district',
            render: (d: string) => labels.district(d),
            responsive: ['sm'],
          },
          {
            title: t('org.f.model'),
            dataIndex: 'model',
            render: (m: string) => labels.model(m),
            responsive: ['md'],
          },
          {
            title: t('org.reg.state'),
            key: 's',
            render: (_v, r) => (
              <Space size={4}>
                <ApplicationTag status={r.applicationStatus} />
                <OrgStatusTag status={r.status} />
              </Space>
            ),
          },
          {
            title: t('org.reg.submittedAt'),
            dataIndex: 'submittedAt',
            render: (v: string) => formatTime(v, locale),
            responsive: ['md'],
          },
        ]}
      />
      {list.hasNextPage && (
        <Button
          block
          style={{ marginTop: 12 }}
          loading={list.isFetchingNextPage}
          onClick={() => list.fetchNextPage()}
        >
          {t('org.more')}
        </Button>
      )}
      <Drawer
        open={!!openId}
        onClose={() => setOpenId(null)}
        width={Math.min(640, typeof window === 'undefined' ? 640 : window.innerWidth)}
        title={t('org.reg.detail')}
        destroyOnClose
      >
        {openId && <CompanyReview id={openId} />}
      </Drawer>
    </div>
  );
}

function CompanyReview({ id }: { id: string }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const labels = useOrgLabels();
  const q = useRegulatorCompany(id);
  const decision = useDecision();
  const statusChange = useStatusChange();
  const [act, setAct] = useState<Act | null>(null);
  const [reason, setReason] = useState('');
  if (q.isPending) return <PageLoader />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const c: CompanyDetail = q.data;
  const run = () => {
    if (!act) return;
    const done = {
      onSuccess: () => {
        message.success(t('org.reg.done'));
        setAct(null);
        setReason('');
        q.refetch();
      },
    };
    const r = reason.trim() || undefined;
    if (act.kind === 'decision') decision.mutate({ id, decision: act.value, reason: r }, done);
    else statusChange.mutate({ id, action: act.value, reason: r }, done);
  };
  const pending = decision.isPending || statusChange.isPending;

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <strong>{c.name}</strong>
        <ApplicationTag status={c.applicationStatus} />
        <OrgStatusTag status={c.status} />
        {c.creditGrade && <Tag color="gold">{c.creditGrade}</Tag>}
      </Space>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('org.f.uscc')}>{c.uscc}</Descriptions.Item>
        <Descriptions.Item label={t('org.f.legalRep')}>{c.legalRepresentative}</Descriptions.Item>
        <Descriptions.Item label={t('org.f.model')}>{labels.model(c.model)}</Descriptions.Item>
        <Descriptions.Item label={t('org.f.address')}>
          {labels.district(c.district)} {c.address}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.f.location')}>
          {c.location
            ? `${c.location.lon.toFixed(4)}, ${c.location.lat.toFixed(4)} (${c.location.coordSystem})`
            : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.f.categories')}>
          {c.serviceCategories.map((s) => (
            <Tag key={s}>{labels.category(s)}</Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.f.contactName')}>
          {c.contactName} {c.contactPhone}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.f.licence')}>
          {c.licence ? (
            <a href={licenceUrl(c.id)} target="_blank" rel="noreferrer">
              {t('org.profile.viewLicence')}
            </a>
          ) : (
            t('org.profile.noLicence')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.f.description')}>{c.description}</Descriptions.Item>
      </Descriptions>

      <Space wrap style={{ margin: '16px 0' }}>
        {c.applicationStatus === 'submitted' && (
          <>
            <Button type="primary" onClick={() => setAct({ kind: 'decision', value: 'approve' })}>
              {t('org.reg.approve')}
            </Button>
            <Button onClick={() => setAct({ kind: 'decision', value: 'request_info' })}>
              {t('org.reg.requestInfo')}
            </Button>
            <Button danger onClick={() => setAct({ kind: 'decision', value: 'reject' })}>
              {t('org.reg.reject')}
            </Button>
          </>
        )}
        {c.status === 'active' && (
          <Button onClick={() => setAct({ kind: 'status', value: 'suspend' })}>{t('org.reg.suspend')}</Button>
        )}
        {c.status === 'suspended' && (
          <Button onClick={() => setAct({ kind: 'status', value: 'reinstate' })}>
            {t('org.reg.reinstate')}
          </Button>
        )}
        {(c.status === 'active' || c.status === 'suspended') && (
          <Button danger onClick={() => setAct({ kind: 'status', value: 'expel' })}>
            {t('org.reg.expel')}
          </Button>
        )}
      </Space>

      <Timeline
        items={c.reviews.map((r) => ({
          children: (
            <>
              <strong>{t(`org.action.${r.action}` as MessageKey)}</strong> · {formatTime(r.at, locale)}
              {r.reason && <div>{r.reason}</div>}
            </>
          ),
        }))}
      />

      <Modal
        open={!!act}
        title={act ? t(`org.action.${act.value}` as MessageKey) : ''}
        onCancel={() => setAct(null)}
        onOk={run}
        okButtonProps={{ loading: pending, disabled: !!act && needsReason(act) && !reason.trim() }}
        destroyOnClose
      >
        {act && needsReason(act) && (
          <Alert type="info" showIcon message={t('org.reg.reasonNeeded')} style={{ marginBottom: 8 }} />
        )}
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('org.reg.reason')}
        />
        <ErrorAlert error={decision.error ?? statusChange.error} className="form-alert" />
      </Modal>
    </>
  );
}
