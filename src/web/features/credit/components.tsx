import { App, Button, Card, Empty, Form, Input, List, Progress, Rate, Select, Table, Tag } from 'antd';
import './credit.css';
import { lazy, Suspense } from 'react';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import { formatDate } from '../../shared/ui/format';
import { useFileAppeal } from './credit.api';
import type { Appeal, Explanation } from './credit.types';

const HistoryChart = lazy(() => import('./HistoryChart'));

/** A level as shown: stars for workers, the grade for companies. */
export function LevelBadge({ type, level }: { type: 'worker' | 'company'; level: string }) {
  const t = useT();
  if (type === 'worker')
    return (
      <span data-testid="credit-level">
        <Rate disabled count={5} value={Number(level)} aria-label={t('credit.stars', { n: level })} />
      </span>
    );
  return (
    <Tag color={level === '5A' ? 'gold' : level === '4A' ? 'green' : 'blue'} data-testid="credit-level">
      {level}
    </Tag>
  );
}

const appealColor: Record<Appeal['state'], string> = {
  submitted: 'processing',
  upheld: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

export function AppealTag({ state }: { state: Appeal['state'] }) {
  const t = useT();
  return <Tag color={appealColor[state]}>{t(`credit.appeal.state.${state}` as MessageKey)}</Tag>;
}

export const indicatorLabel = (t: ReturnType<typeof useT>, key: string) =>
  t(`credit.ind.${key}` as MessageKey);

/** Score, level, every indicator's points, what would raise it, history and appeals. */
export function ExplanationView({ e, appealAs }: { e: Explanation; appealAs?: { orgId: string | null } }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="credit-explanation">
      <Card size="small">
        <div className="credit-head">
          <div>
            <div className="muted small">{t('credit.score')}</div>
            <div className="credit-score" data-testid="credit-score">
              {e.score.toFixed(2)}
            </div>
          </div>
          <LevelBadge type={e.subjectType} level={e.level} />
        </div>
        <div className="muted small">
          {t('credit.computedAt', { date: formatDate(e.computedAt, locale), v: e.scorecardVersion })}
        </div>
      </Card>
      <h2>{t('credit.indicators')}</h2>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={e.indicators}
        scroll={{ x: true }}
        columns={[
          {
            title: t('credit.indicator'),
            dataIndex: 'key',
            render: (k: string, r) => (
              <>
                <div>{indicatorLabel(t, k)}</div>
                <div className="muted small">{t(`credit.dim.${r.dimension}` as MessageKey)}</div>
              </>
            ),
          },
          {
            title: t('credit.points'),
            dataIndex: 'points',
            render: (p: number, r) => (
              <>
                {p.toFixed(2)} / {r.weight}
                <Progress
                  aria-label={indicatorLabel(t, r.key)}
                  percent={Math.round(r.value * 100)}
                  size="small"
                  showInfo={false}
                />
              </>
            ),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{t('credit.total')}</Table.Summary.Cell>
            <Table.Summary.Cell index={1}>{e.score.toFixed(2)} / 100</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <h2>{t('credit.raise')}</h2>
      {e.improvements.length === 0 ? (
        <Empty description={t('credit.raise.none')} />
      ) : (
        <List
          size="small"
          dataSource={e.improvements.slice(0, 5)}
          renderItem={(i) => (
            <List.Item>
              <List.Item.Meta
                title={`${indicatorLabel(t, i.key)} · +${i.gain.toFixed(2)}`}
                description={t(`credit.hint.${i.key}` as MessageKey)}
              />
            </List.Item>
          )}
        />
      )}
      <h2>{t('credit.history')}</h2>
      {e.history.length < 2 ? (
        <p className="muted">{t('credit.history.few')}</p>
      ) : (
        <Suspense fallback={<div className="credit-chart" />}>
          <HistoryChart points={e.history} />
        </Suspense>
      )}
      <h2>{t('credit.appeals')}</h2>
      {e.appeals.length === 0 ? (
        <p className="muted">{t('credit.appeals.none')}</p>
      ) : (
        <List
          size="small"
          dataSource={e.appeals}
          renderItem={(a) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <>
                    {indicatorLabel(t, a.indicator)} <AppealTag state={a.state} />
                  </>
                }
                description={
                  <>
                    <div>{a.reason}</div>
                    {a.decisionNote ? (
                      <div className="muted">{t('credit.appeal.note', { note: a.decisionNote })}</div>
                    ) : null}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {appealAs ? <AppealForm orgId={appealAs.orgId} indicators={e.indicators.map((i) => i.key)} /> : null}
    </div>
  );
}

function AppealForm({ orgId, indicators }: { orgId: string | null; indicators: string[] }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ indicator: string; reason: string; evidence?: string }>();
  const file = useFileAppeal(orgId);
  return (
    <Card size="small" title={t('credit.appeal.new')}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          file.mutate(v, {
            onSuccess: () => {
              form.resetFields();
              void message.success(t('credit.appeal.filed'));
            },
            onError: (err) => void message.error(err instanceof Error ? err.message : String(err)),
          })
        }
      >
        <Form.Item
          name="indicator"
          label={t('credit.indicator')}
          rules={[{ required: true, message: t('credit.required') }]}
        >
          <Select options={indicators.map((k) => ({ value: k, label: indicatorLabel(t, k) }))} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('credit.appeal.reason')}
          rules={[{ required: true, whitespace: true, message: t('credit.required') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="evidence" label={t('credit.appeal.evidence')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={file.isPending}>
          {t('credit.appeal.submit')}
        </Button>
      </Form>
    </Card>
  );
}
