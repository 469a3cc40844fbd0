import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { labelOf, serviceCategories } from '../../../shared/domain';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import { rowCheckboxProps } from '../../shared/ui/a11y';
import { BackLink } from '../../shared/ui/BackLink';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { PageLoader } from '../../shared/ui/PageLoader';
import { certificateUrl, newIdempotencyKey, useClaim, useClaimStep, useFileClaim } from './insurance.api';
import {
  type ClaimState,
  type ClaimSummary,
  type CoverageCode,
  coverageCodes,
  type Policy,
  type PolicyState,
} from './insurance.types';
import './insurance.css';
import { useMoney } from '../../shared/money';

/** 12001 fen → "120.01". */

export const shanghaiDay = (d: Date): string =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
export const formatTs = (iso: string | null, locale: string) =>
  iso
    ? new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(iso))
    : '—';

const policyColors: Record<PolicyState, string> = {
  pending: 'gold',
  active: 'green',
  rejected: 'red',
  cancelled: 'default',
  expired: 'default',
};
const claimColors: Record<ClaimState, string> = {
  reported: 'gold',
  under_review: 'blue',
  info_requested: 'orange',
  approved: 'cyan',
  rejected: 'red',
  paid: 'green',
  withdrawn: 'default',
};

export function PolicyStateTag({ state }: { state: PolicyState }) {
  const t = useT();
  return <Tag color={policyColors[state]}>{t(`insurance.policyState.${state}` as MessageKey)}</Tag>;
}
export function ClaimStateTag({ state }: { state: ClaimState }) {
  const t = useT();
  return <Tag color={claimColors[state]}>{t(`insurance.claimState.${state}` as MessageKey)}</Tag>;
}
export function useCoverageLabel() {
  const t = useT();
  return (code: string) => t(`insurance.coverage.${code}` as MessageKey);
}
export function useCategoryOptions() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    options: serviceCategories.map((c) => ({ value: c.code, label: c[lang] })),
    label: (c: string) => labelOf(serviceCategories, c, lang),
  };
}

/** The SLA timer of an open claim: due time, red when overdue. */
export function SlaTag({ claim }: { claim: Pick<ClaimSummary, 'dueAt' | 'overdue' | 'turn'> }) {
  const t = useT();
  const { locale } = useLocale();
  if (!claim.dueAt) return null;
  return (
    <Tag color={claim.overdue ? 'red' : 'default'} data-testid="sla">
      {claim.overdue ? t('insurance.sla.overdue') : t('insurance.sla.due')} {formatTs(claim.dueAt, locale)}
      {claim.turn ? ` · ${t(`insurance.turn.${claim.turn}` as MessageKey)}` : ''}
    </Tag>
  );
}

/** Policies as a table (consoles) with optional row selection and extra actions. */
export function PolicyTable({
  policies,
  selectable,
  selected,
  onSelect,
  actions,
  showCompany = true,
}: {
  policies: Policy[];
  selectable?: boolean;
  selected?: string[];
  onSelect?: (ids: string[]) => void;
  actions?: (p: Policy) => React.ReactNode;
  showCompany?: boolean;
}) {
  const t = useT();
  const money = useMoney();
  return (
    <div style={{ overflowX: 'auto' }}>
      <Table<Policy>
        rowKey="id"
        size="small"
        dataSource={policies}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        // antd copies column titles into a hidden measuring row when it scrolls sideways, and the "select all"
        // checkbox there stays focusable (axe aria-hidden-focus): selectable tables scroll in .table-scroll instead.
        scroll={selectable ? undefined : { x: true }}
        rowSelection={
          selectable
            ? {
                selectedRowKeys: selected ?? [],
                onChange: (keys) => onSelect?.(keys as string[]),
                getCheckboxProps: (p) =>
                  rowCheckboxProps(t('a11y.selectRow', { name: `${p.number} ${p.worker.name}` }), {
                    disabled: p.state !== 'pending',
                  }),
              }
            : undefined
        }
        columns={[
          { title: t('insurance.policy.number'), dataIndex: 'number' },
          { title: t('insurance.policy.worker'), render: (_, p) => p.worker.name },
          ...(showCompany
            ? [
                {
                  title: t('insurance.policy.company'),
                  render: (_: unknown, p: Policy) => p.company?.name ?? t('insurance.individual'),
                },
              ]
            : []),
          { title: t('insurance.policy.product'), render: (_, p) => p.product.title },
          { title: t('insurance.policy.period'), render: (_, p) => `${p.startsOn} ~ ${p.endsOn}` },
          { title: t('insurance.premium'), render: (_, p) => money(p.premiumFen) },
          { title: t('insurance.subsidy'), render: (_, p) => money(p.subsidyFen) },
          { title: t('insurance.companyShare'), render: (_, p) => money(p.companyFen) },
          { title: t('insurance.workerShare'), render: (_, p) => money(p.workerFen) },
          { title: t('insurance.state'), render: (_, p) => <PolicyStateTag state={p.state} /> },
          {
            title: '',
            render: (_, p) => (
              <Space>
                {(p.state === 'active' || p.state === 'expired') && (
                  <a href={certificateUrl(p.id)} target="_blank" rel="noreferrer">
                    {t('insurance.certificate')}
                  </a>
                )}
                {actions?.(p)}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}

/** Claims as a table with their SLA timers. */
export function ClaimTable({
  claims,
  linkTo,
}: {
  claims: ClaimSummary[];
  linkTo: (c: ClaimSummary) => string;
}) {
  const t = useT();
  const money = useMoney();
  const label = useCoverageLabel();
  return (
    <Table<ClaimSummary>
      rowKey="id"
      size="small"
      dataSource={claims}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: true }}
      columns={[
        { title: t('insurance.claim.number'), render: (_, c) => <Link to={linkTo(c)}>{c.number}</Link> },
        { title: t('insurance.policy.worker'), render: (_, c) => c.workerName ?? '' },
        { title: t('insurance.claim.coverage'), render: (_, c) => label(c.coverageCode) },
        { title: t('insurance.claim.incidentOn'), dataIndex: 'incidentOn' },
        { title: t('insurance.claim.claimed'), render: (_, c) => money(c.claimedFen) },
        { title: t('insurance.state'), render: (_, c) => <ClaimStateTag state={c.state} /> },
        { title: t('insurance.sla'), render: (_, c) => <SlaTag claim={c} /> },
      ]}
    />
  );
}

/** Claims as a phone-first list. */
export function ClaimList({
  claims,
  linkTo,
}: {
  claims: ClaimSummary[];
  linkTo: (c: ClaimSummary) => string;
}) {
  const t = useT();
  const money = useMoney();
  const label = useCoverageLabel();
  if (!claims.length) return <Empty description={t('insurance.claim.none')} />;
  return (
    <List
      dataSource={claims}
      renderItem={(c) => (
        <List.Item>
          <List.Item.Meta
            title={
              <Link to={linkTo(c)}>
                {c.number} <ClaimStateTag state={c.state} />
              </Link>
            }
            description={
              <>
                {label(c.coverageCode)} · {c.incidentOn} · {money(c.claimedFen)} <SlaTag claim={c} />
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}

/** One claim: facts, evidence, history, and the steps the caller may take now. */
export function ClaimView({ id, backTo }: { id: string; backTo: string }) {
  const t = useT();
  const money = useMoney();
  const { locale } = useLocale();
  const q = useClaim(id);
  const step = useClaimStep(id);
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [amount, setAmount] = useState<number | null>(null);
  const label = useCoverageLabel();
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const c = q.data;
  const run = async (input: Parameters<typeof step.mutateAsync>[0]) => {
    await step.mutateAsync(input);
    setText('');
    void message.success(t('insurance.saved'));
  };
  const has = (a: string) => c.actions.includes(a);
  return (
    <div className="insurance-claim">
      <BackLink to={backTo}>← {t('insurance.back')}</BackLink>
      <h2>
        {t('insurance.claim.title')} {c.number} <ClaimStateTag state={c.state} />
      </h2>
      <SlaTag claim={c} />
      <Descriptions column={1} size="small" bordered className="insurance-facts">
        <Descriptions.Item label={t('insurance.policy.number')}>{c.policy.number}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.policy.worker')}>{c.policy.worker.name}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.coverage')}>{label(c.coverageCode)}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.incidentOn')}>{c.incidentOn}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.place')}>{c.place}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.description')}>{c.description}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.claimed')}>{money(c.claimedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.approved')}>{money(c.approvedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.claim.paid')}>
          <span data-testid="claim-paid">{money(c.paidFen)}</span>
          {c.payoutRef ? ` (${c.payoutRef})` : ''}
        </Descriptions.Item>
        {c.stateReason && (
          <Descriptions.Item label={t('insurance.reason')}>{c.stateReason}</Descriptions.Item>
        )}
      </Descriptions>
      <h3>{t('insurance.claim.evidence')}</h3>
      <List size="small" dataSource={c.evidence} renderItem={(e) => <List.Item>{e.note}</List.Item>} />
      {c.actions.length > 0 && (
        <Card size="small" title={t('insurance.claim.nextStep')} className="insurance-actions">
          <Space direction="vertical" style={{ width: '100%' }}>
            {(has('request_info') || has('reject') || has('supply') || has('withdraw')) && (
              <Input.TextArea
                aria-label={t('insurance.claim.note')}
                placeholder={t('insurance.claim.notePlaceholder')}
                value={text}
                maxLength={500}
                onChange={(e) => setText(e.target.value)}
              />
            )}
            {has('approve') && (
              <InputNumber
                aria-label={t('insurance.claim.approveAmount')}
                placeholder={t('insurance.claim.approveAmount')}
                min={0.01}
                precision={2}
                value={amount}
                onChange={(v) => setAmount(v)}
                style={{ width: '100%' }}
              />
            )}
            {has('pay') && (
              <Input
                aria-label={t('insurance.claim.payoutRef')}
                placeholder={t('insurance.claim.payoutRef')}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            )}
            <Space wrap>
              {has('review') && (
                <Button
                  type="primary"
                  loading={step.isPending}
                  onClick={() => run({ step: 'review', body: {} })}
                >
                  {t('insurance.claim.do.review')}
                </Button>
              )}
              {has('request_info') && (
                <Button
                  disabled={!text.trim()}
                  onClick={() => run({ step: 'request-info', body: { reason: text } })}
                >
                  {t('insurance.claim.do.requestInfo')}
                </Button>
              )}
              {has('approve') && (
                <Button
                  type="primary"
                  disabled={!amount}
                  onClick={() =>
                    run({ step: 'approve', body: { amountFen: Math.round((amount ?? 0) * 100) } })
                  }
                >
                  {t('insurance.claim.do.approve')}
                </Button>
              )}
              {has('reject') && (
                <Button
                  danger
                  disabled={!text.trim()}
                  onClick={() => run({ step: 'reject', body: { reason: text } })}
                >
                  {t('insurance.claim.do.reject')}
                </Button>
              )}
              {has('pay') && (
                <Button
                  type="primary"
                  disabled={!text.trim()}
                  onClick={() => run({ step: 'pay', body: { payoutRef: text } })}
                >
                  {t('insurance.claim.do.pay')}
                </Button>
              )}
              {has('supply') && (
                <Button
                  type="primary"
                  disabled={!text.trim()}
                  onClick={() => run({ step: 'supply', body: { note: text } })}
                >
                  {t('insurance.claim.do.supply')}
                </Button>
              )}
              {has('withdraw') && (
                <Button onClick={() => run({ step: 'withdraw', body: { reason: text || null } })}>
                  {t('insurance.claim.do.withdraw')}
                </Button>
              )}
            </Space>
            {step.isError && <ErrorAlert error={step.error} />}
          </Space>
        </Card>
      )}
      <h3>{t('insurance.history')}</h3>
      <Timeline
        items={c.history.map((h) => ({
          children: (
            <>
              {formatTs(h.at, locale)} · {t(`insurance.claimState.${h.toState}` as MessageKey)}
              {h.amountFen != null ? ` · ${money(h.amountFen)}` : ''}
              {h.reason ? ` · ${h.reason}` : ''}
            </>
          ),
        }))}
      />
    </div>
  );
}

/** Reporting a claim: on one of the given policies (worker, company), or on an order (resident). */
export function ClaimForm({ policies, onFiled }: { policies: Policy[]; onFiled: (id: string) => void }) {
  const t = useT();
  const label = useCoverageLabel();
  const [form] = Form.useForm();
  const [key] = useState(newIdempotencyKey);
  const file = useFileClaim();
  const usable = policies.filter((p) => p.state === 'active' || p.state === 'expired');
  if (!usable.length) return <Empty description={t('insurance.claim.noPolicy')} />;
  return (
    <Form
      form={form}
      layout="vertical"
      className="insurance-claim-form"
      initialValues={{ policyId: usable[0]!.id, coverageCode: 'accident_medical', incidentOn: dayjs() }}
      onFinish={async (v: {
        policyId: string;
        coverageCode: CoverageCode;
        incidentOn: dayjs.Dayjs;
        place: string;
        description: string;
        evidence?: string;
        claimed: number;
      }) => {
        const c = await file.mutateAsync({
          key,
          body: {
            policyId: v.policyId,
            coverageCode: v.coverageCode,
            incidentOn: v.incidentOn.format('YYYY-MM-DD'),
            place: v.place,
            description: v.description,
            evidence: (v.evidence ?? '')
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean),
            claimedFen: Math.round(v.claimed * 100),
          },
        });
        onFiled(c.id);
      }}
    >
      <Form.Item name="policyId" label={t('insurance.policy.number')} rules={[{ required: true }]}>
        <Select
          options={usable.map((p) => ({
            value: p.id,
            label: `${p.number} · ${p.worker.name} · ${p.product.title}`,
          }))}
        />
      </Form.Item>
      <Form.Item name="coverageCode" label={t('insurance.claim.coverage')} rules={[{ required: true }]}>
        <Select options={coverageCodes.map((c) => ({ value: c, label: label(c) }))} />
      </Form.Item>
      <Form.Item name="incidentOn" label={t('insurance.claim.incidentOn')} rules={[{ required: true }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="place" label={t('insurance.claim.place')} rules={[{ required: true, max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('insurance.claim.description')}
        rules={[{ required: true, max: 2000 }]}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="evidence" label={t('insurance.claim.evidenceHint')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="claimed" label={t('insurance.claim.claimedYuan')} rules={[{ required: true }]}>
        <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
      </Form.Item>
      {file.isError && <ErrorAlert error={file.error} />}
      <Button type="primary" htmlType="submit" block loading={file.isPending}>
        {t('insurance.claim.submit')}
      </Button>
    </Form>
  );
}
