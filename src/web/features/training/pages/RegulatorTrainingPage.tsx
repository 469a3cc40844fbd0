import '../training.css';
import { Button, Card, InputNumber, Space, Tabs } from 'antd';
import { useState } from 'react';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ExamsManager, SubsidyReportView } from '../components';
import { useSetSubsidyRate, useSubsidyRates } from '../training.api';
import { useMoney } from '../../../shared/money';

const KINDS = ['pre_job', 'skill', 'refresher'] as const;

/** /regulator/training: reports per institution and period, subsidy rates, the platform's 岗前考试 and bank. */
export default function RegulatorTrainingPage() {
  const t = useT();
  useDocumentTitle(t('sec.regulator.training'));
  return (
    <div className="console-page training-page">
      <h1>{t('sec.regulator.training')}</h1>
      <Tabs
        items={[
          { key: 'report', label: t('training.report'), children: <SubsidyReportView /> },
          { key: 'rates', label: t('training.rates'), children: <Rates /> },
          { key: 'exams', label: t('training.preJobExam'), children: <ExamsManager regulator /> },
        ]}
      />
    </div>
  );
}

function Rates() {
  const t = useT();
  const money = useMoney();
  const rates = useSubsidyRates();
  const set = useSetSubsidyRate();
  const [draft, setDraft] = useState<Record<string, number>>({});
  const current = (k: string) => rates.data?.items.find((r) => r.courseKind === k)?.amountFen ?? 0;
  return (
    <Card size="small">
      <ErrorAlert error={rates.error ?? set.error} />
      {KINDS.map((k) => (
        <Space key={k} wrap style={{ display: 'flex', marginBottom: 8 }}>
          <span style={{ minWidth: 90, display: 'inline-block' }}>
            {t(`training.kind.${k}` as MessageKey)}
          </span>
          <span className="muted">{money(current(k))}</span>
          <InputNumber
            min={0}
            max={100000}
            step={10}
            addonAfter={t('common.yuan')}
            value={draft[k] ?? current(k) / 100}
            onChange={(v) => setDraft({ ...draft, [k]: Number(v ?? 0) })}
            aria-label={t(`training.kind.${k}` as MessageKey)}
          />
          <Button
            size="small"
            loading={set.isPending}
            onClick={() =>
              set.mutate({ kind: k, amountFen: Math.round((draft[k] ?? current(k) / 100) * 100) })
            }
          >
            {t('training.save')}
          </Button>
        </Space>
      ))}
    </Card>
  );
}
