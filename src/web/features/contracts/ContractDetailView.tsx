import { FilePdfOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Space,
  Steps,
  Tag,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { joinList, type MessageKey, useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { PageLoader } from '../../shared/ui/PageLoader';
import { formatDate } from '../../shared/ui/format';
import { pdfUrl, useContract, useContractAction, useSendSignCode } from './contracts.api';
import './contracts.css';
import type { ContractDetail, ContractState, Party } from './contracts.types';
import { SignaturePadField } from './SignaturePadField';
import { useMoney } from '../../shared/money';

const stateColor: Record<ContractState, string> = {
  draft: 'default',
  signing: 'processing',
  filed: 'success',
  terminating: 'warning',
  terminated: 'default',
  disputed: 'error',
  superseded: 'default',
  void: 'default',
};

export function ContractStateTag({ state }: { state: ContractState }) {
  const t = useT();
  return <Tag color={stateColor[state]}>{t(`contracts.state.${state}` as MessageKey)}</Tag>;
}

/** One contract: status, parties' signatures, the filled clauses, editing, signing, termination and the chain. */
export function ContractDetailView({ id, linkBase }: { id: string; linkBase: string }) {
  const t = useT();
  const q = useContract(id);
  if (q.isLoading) return <PageLoader />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const c = q.data;
  return (
    <div className="console-page contract-page">
      <Card
        title={
          <Space wrap>
            <span>{c.templateTitle}</span>
            <ContractStateTag state={c.state} />
          </Space>
        }
        extra={
          <Button href={pdfUrl(c.id)} target="_blank" rel="noreferrer" icon={<FilePdfOutlined />}>
            {c.filingNo ? t('contracts.pdf.sealed') : t('contracts.pdf.preview')}
          </Button>
        }
      >
        <Header c={c} />
        <SignatureSteps c={c} />
        {c.actions.includes('sign') && <SignPanel c={c} />}
        {c.actions.includes('edit') && <EditPanel c={c} />}
        <TerminationPanel c={c} />
        <Chain c={c} linkBase={linkBase} />
      </Card>
      <Card size="small" title={t('contracts.clauses')} style={{ marginTop: 12 }}>
        {c.clauses.map((cl) => (
          <div key={cl.key} className="contract-clause">
            <h4>{cl.title}</h4>
            <p>{cl.body}</p>
          </div>
        ))}
      </Card>
    </div>
  );
}

function Header({ c }: { c: ContractDetail }) {
  const t = useT();
  const money = useMoney();
  const { locale } = useLocale();
  return (
    <>
      {!c.effective && c.state !== 'terminated' && c.state !== 'superseded' && (
        <Alert type="info" showIcon message={t('contracts.notEffective')} style={{ marginBottom: 12 }} />
      )}
      {c.violations.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('contracts.violations')}
          description={joinList(
            locale,
            c.violations.map((v) => (locale === 'en' ? v.en : v.zh)),
          )}
        />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('contracts.field.number')}>
          <span data-testid="contract-number">{c.number}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.filingNo')}>
          <span data-testid="contract-filing">{c.filingNo ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.kind')}>
          {t(`contracts.kind.${c.kind}` as MessageKey)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.revision')}>{c.revision}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.company')}>{c.companyName}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.consumer')}>{c.consumerName}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.worker')}>{c.workerName}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.term')}>
          {formatDate(c.startDate, locale)} – {formatDate(c.endDate, locale)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.total')}>{money(c.totalFeeFen)}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.restDays')}>
          {c.terms.restDaysPerMonth}
        </Descriptions.Item>
        {c.pdfSha256 && (
          <Descriptions.Item label="SHA-256">
            <code style={{ wordBreak: 'break-all', fontSize: 11 }}>{c.pdfSha256}</code>
          </Descriptions.Item>
        )}
      </Descriptions>
    </>
  );
}

function SignatureSteps({ c }: { c: ContractDetail }) {
  const t = useT();
  return (
    <Steps
      size="small"
      direction="vertical"
      style={{ marginBottom: 12 }}
      items={c.signers.map((p) => {
        const s = c.signatures.find((x) => x.party === p);
        return {
          title: t(`contracts.party.${p}` as MessageKey),
          status: s ? 'finish' : 'wait',
          description: s
            ? `${t('contracts.signedAt')} ${new Date(s.signedAt).toLocaleString()}`
            : t('contracts.unsigned'),
        };
      })}
    />
  );
}

function SignPanel({ c }: { c: ContractDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const send = useSendSignCode(c.id);
  const act = useContractAction(c.id);
  const [png, setPng] = useState<string | null>(null);
  const [code, setCode] = useState('');
  return (
    <Card size="small" type="inner" title={t('contracts.sign.title')} style={{ marginBottom: 12 }}>
      <p className="muted small">{t('contracts.sign.hint')}</p>
      <SignaturePadField onChange={setPng} />
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input
          inputMode="numeric"
          maxLength={6}
          placeholder={t('contracts.sign.code')}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          aria-label={t('contracts.sign.code')}
        />
        <Button
          loading={send.isPending}
          onClick={() =>
            send.mutate(undefined, {
              onSuccess: (r) => void message.success(t('contracts.sign.sent', { phone: r.phoneMasked })),
            })
          }
        >
          {t('contracts.sign.sendCode')}
        </Button>
      </Space.Compact>
      <ErrorAlert error={send.error ?? act.error} />
      <Button
        type="primary"
        block
        style={{ marginTop: 8 }}
        disabled={!png || code.length !== 6}
        loading={act.isPending}
        onClick={() =>
          act.mutate(
            { path: '/sign', body: { code, signaturePng: png } },
            {
              onSuccess: (r) =>
                void message.success(r.filingNo ? t('contracts.sign.sealed') : t('contracts.sign.done')),
            },
          )
        }
      >
        {t('contracts.sign.submit')}
      </Button>
    </Card>
  );
}

function EditPanel({ c }: { c: ContractDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const act = useContractAction(c.id);
  const [form] = Form.useForm();
  const tm = c.terms;
  return (
    <Card size="small" type="inner" title={t('contracts.edit.title')} style={{ marginBottom: 12 }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          serviceContent: tm.serviceContent,
          restDaysPerMonth: tm.restDaysPerMonth,
          sleepHoursPerDay: tm.sleepHoursPerDay,
          dailyHours: tm.dailyHours,
          trialDays: tm.trialDays,
          deposit: tm.depositFen / 100,
          wage: tm.monthlyWageFen / 100,
        }}
        onFinish={(v) =>
          act.mutate(
            {
              path: '',
              method: 'PATCH',
              body: {
                serviceContent: v.serviceContent,
                restDaysPerMonth: v.restDaysPerMonth,
                ...(tm.sleepHoursPerDay === null ? {} : { sleepHoursPerDay: v.sleepHoursPerDay }),
                dailyHours: v.dailyHours,
                trialDays: v.trialDays,
                depositFen: Math.round(v.deposit * 100),
                monthlyWageFen: Math.round(v.wage * 100),
              },
            },
            { onSuccess: () => void message.success(t('contracts.edit.saved')) },
          )
        }
      >
        <Form.Item name="serviceContent" label={t('contracts.field.content')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <div className="contract-grid">
          <Form.Item name="restDaysPerMonth" label={t('contracts.field.restDays')}>
            <InputNumber min={0} max={31} style={{ width: '100%' }} />
          </Form.Item>
          {tm.sleepHoursPerDay !== null && (
            <Form.Item name="sleepHoursPerDay" label={t('contracts.field.sleep')}>
              <InputNumber min={0} max={24} style={{ width: '100%' }} />
            </Form.Item>
          )}
          <Form.Item name="dailyHours" label={t('contracts.field.dailyHours')}>
            <InputNumber min={1} max={24} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="trialDays" label={t('contracts.field.trial')}>
            <InputNumber min={0} max={60} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="deposit" label={t('contracts.field.deposit')}>
            <InputNumber min={0} step={100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="wage" label={t('contracts.field.wage')}>
            <InputNumber min={0} step={100} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <ErrorAlert error={act.error} />
        <Button htmlType="submit" loading={act.isPending}>
          {t('contracts.edit.save')}
        </Button>
      </Form>
    </Card>
  );
}

function TerminationPanel({ c }: { c: ContractDetail }) {
  const t = useT();
  const money = useMoney();
  const { locale } = useLocale();
  const act = useContractAction(c.id);
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const term = c.termination;
  return (
    <>
      {term && (
        <Card size="small" type="inner" title={t('contracts.term.title')} style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
            <Descriptions.Item label={t('contracts.term.reason')}>{term.reason}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.date')}>{term.effectiveDate}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.served')}>
              {term.settlement.servedDays} / {term.settlement.totalDays}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.feeRefund')}>
              {money(term.settlement.feeRefundFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.feeOwed')}>
              {money(term.settlement.feeOwedFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.deposit')}>
              {money(term.settlement.depositRefundFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.agency')}>
              {money(term.settlement.agencyFeeRefundFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.net')}>
              {money(term.settlement.netToConsumerFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.term.confirmed')}>
              {joinList(
                locale,
                term.confirmedBy.map((p) => t(`contracts.party.${p}` as MessageKey)),
              )}
            </Descriptions.Item>
          </Descriptions>
          {c.actions.includes('confirm_termination') && (
            <Space wrap style={{ marginTop: 8 }}>
              <Button
                type="primary"
                loading={act.isPending}
                onClick={() => act.mutate({ path: '/termination/confirm' })}
              >
                {t('contracts.term.confirm')}
              </Button>
              <Button
                danger
                onClick={() =>
                  act.mutate({
                    path: '/termination/dispute',
                    body: { reason: t('contracts.term.disputeDefault') },
                  })
                }
              >
                {t('contracts.term.dispute')}
              </Button>
            </Space>
          )}
        </Card>
      )}
      {c.actions.includes('request_termination') && (
        <Card size="small" type="inner" title={t('contracts.term.request')} style={{ marginBottom: 12 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea
              rows={2}
              maxLength={500}
              placeholder={t('contracts.term.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <Input
              type="date"
              value={date}
              onChange={(e) => setDate(e.target.value)}
              aria-label={t('contracts.term.date')}
            />
            <Button
              danger
              disabled={!reason.trim() || !date}
              loading={act.isPending}
              onClick={() => act.mutate({ path: '/termination', body: { reason, effectiveDate: date } })}
            >
              {t('contracts.term.submit')}
            </Button>
          </Space>
        </Card>
      )}
      <ErrorAlert error={act.error} />
    </>
  );
}

function Chain({ c, linkBase }: { c: ContractDetail; linkBase: string }) {
  const t = useT();
  if (c.chain.length < 2) return null;
  return (
    <Card size="small" type="inner" title={t('contracts.chain')} style={{ marginBottom: 12 }}>
      <List
        size="small"
        dataSource={c.chain}
        renderItem={(v, i) => (
          <List.Item>
            <Space wrap>
              <span>v{i + 1}</span>
              {v.id === c.id ? <b>{v.number}</b> : <Link to={`${linkBase}/${v.id}`}>{v.number}</Link>}
              <ContractStateTag state={v.state as ContractState} />
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

export type { Party };
