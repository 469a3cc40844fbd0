import { App, Button, Card, Empty, Form, Input, List, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  newIdempotencyKey,
  useCompanyScores,
  useExpel,
  useExpulsions,
  useRunEvaluation,
  useWarnings,
} from '../credit.api';
import type { Expulsion, Warning } from '../credit.types';

/** /regulator/evaluation: run a cycle, follow warnings to their deadlines, expel (清退), see expelled companies' open orders. */
export default function RegulatorEvaluationPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  useDocumentTitle(t('sec.regulator.evaluation'));
  const [state, setState] = useState<Warning['state'] | ''>('open');
  const warnings = useWarnings(state);
  const expulsions = useExpulsions();
  const companies = useCompanyScores();
  const run = useRunEvaluation();
  const [target, setTarget] = useState<{
    companyId: string;
    name: string;
    ground: Expulsion['ground'];
  } | null>(null);
  return (
    <div className="credit-page">
      <h1>{t('sec.regulator.evaluation')}</h1>
      <Card size="small">
        <p className="muted">{t('credit.eval.help')}</p>
        <Button
          type="primary"
          loading={run.isPending}
          onClick={() =>
            run.mutate(undefined, {
              onSuccess: (r) =>
                void message.success(
                  t('credit.eval.done', { n: r.evaluated, w: r.warned, r: r.resolved, line: r.warnBelow }),
                ),
              onError: (e) => void message.error(e instanceof Error ? e.message : String(e)),
            })
          }
        >
          {t('credit.eval.run')}
        </Button>
      </Card>
      <h2>{t('credit.eval.warnings')}</h2>
      <Select
        aria-label={t('credit.state')}
        value={state}
        onChange={setState}
        style={{ width: 160, marginBottom: 8 }}
        options={[
          { value: '', label: t('credit.all') },
          ...(['open', 'resolved', 'expelled'] as const).map((s) => ({
            value: s,
            label: t(`credit.warning.${s}`),
          })),
        ]}
      />
      {warnings.isPending ? (
        <PageLoader />
      ) : warnings.isError ? (
        <ErrorAlert error={warnings.error} />
      ) : warnings.data.items.length === 0 ? (
        <Empty description={t('credit.eval.noWarnings')} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={warnings.data.items}
          columns={[
            { title: t('credit.company'), dataIndex: 'companyName' },
            {
              title: t('credit.eval.scoreAtWarning'),
              dataIndex: 'score',
              render: (s: number) => s.toFixed(2),
            },
            {
              title: t('credit.eval.currentScore'),
              dataIndex: 'currentScore',
              render: (s: number | null) => s?.toFixed(2) ?? '-',
            },
            {
              title: t('credit.eval.deadline'),
              key: 'd',
              render: (_: unknown, w) => (
                <>
                  {formatDate(w.deadline, locale)}{' '}
                  {w.overdue ? <Tag color="red">{t('credit.eval.overdue')}</Tag> : null}
                </>
              ),
            },
            {
              title: t('credit.state'),
              dataIndex: 'state',
              render: (s: Warning['state']) => t(`credit.warning.${s}`),
            },
            {
              title: '',
              key: 'x',
              render: (_: unknown, w) =>
                w.state === 'open' && w.overdue ? (
                  <Button
                    danger
                    size="small"
                    onClick={() =>
                      setTarget({ companyId: w.companyId, name: w.companyName, ground: 'persistent_failure' })
                    }
                  >
                    {t('credit.expel')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      <h2>{t('credit.expel.serious')}</h2>
      <Space wrap>
        <Select
          aria-label={t('credit.company')}
          showSearch
          optionFilterProp="label"
          placeholder={t('credit.company')}
          style={{ width: 280 }}
          options={(companies.data?.items ?? [])
            .filter((c) => c.status !== 'expelled')
            .map((c) => ({ value: c.companyId, label: `${c.name} (${c.level} · ${c.score.toFixed(1)})` }))}
          onChange={(v: string) => {
            const c = companies.data?.items.find((x) => x.companyId === v);
            if (c) setTarget({ companyId: c.companyId, name: c.name, ground: 'serious_violation' });
          }}
          value={null}
        />
      </Space>
      <h2>{t('credit.expulsions')}</h2>
      {expulsions.isPending ? (
        <PageLoader />
      ) : expulsions.isError ? (
        <ErrorAlert error={expulsions.error} />
      ) : expulsions.data.length === 0 ? (
        <Empty description={t('credit.expulsions.none')} />
      ) : (
        <List
          dataSource={expulsions.data}
          renderItem={(e) => (
            <List.Item>
              <List.Item.Meta
                title={`${e.companyName} · ${formatDate(e.expelledAt, locale)}`}
                description={
                  <>
                    <div>
                      {t('common.labelValue', { label: t(`credit.ground.${e.ground}`), value: e.reason })}
                    </div>
                    <div className="muted">{t('credit.expel.released', { n: e.workersReleased ?? 0 })}</div>
                    {e.openOrders.length ? (
                      <div>
                        {t('credit.expel.openOrders', { n: e.openOrders.length })}{' '}
                        {e.openOrders.map((o) => (
                          <Tag key={o.id}>
                            {o.number} · {o.state}
                          </Tag>
                        ))}
                      </div>
                    ) : (
                      <div className="muted">{t('credit.expel.noOpenOrders')}</div>
                    )}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      <ExpelDialog target={target} onClose={() => setTarget(null)} />
    </div>
  );
}

function ExpelDialog({
  target,
  onClose,
}: {
  target: { companyId: string; name: string; ground: Expulsion['ground'] } | null;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const expel = useExpel();
  const [form] = Form.useForm<{ reason: string }>();
  // One key per dialog opening, reused if the same submission is retried.
  const [key, setKey] = useState(newIdempotencyKey);
  return (
    <Modal
      open={!!target}
      title={target ? t('credit.expel.title', { name: target.name }) : ''}
      okText={t('credit.expel')}
      okButtonProps={{ danger: true, loading: expel.isPending }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {target ? (
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            expel.mutate(
              { companyId: target.companyId, ground: target.ground, reason: v.reason, key },
              {
                onSuccess: (r) => {
                  void message.success(t('credit.expel.done', { n: r.openOrders.length }));
                  setKey(newIdempotencyKey());
                  onClose();
                },
                onError: (e) => void message.error(e instanceof Error ? e.message : String(e)),
              },
            )
          }
        >
          <p>{t(`credit.ground.${target.ground}`)}</p>
          <p className="muted">{t('credit.expel.effects')}</p>
          <Form.Item
            name="reason"
            label={t('credit.expel.reason')}
            rules={[{ required: true, whitespace: true, message: t('credit.required') }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}
