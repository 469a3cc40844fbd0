import { Button, Card, Col, Input, Row, Select, Space, Statistic, Table } from 'antd';
import { useState } from 'react';
import { Route, Routes, useParams } from 'react-router-dom';
import { serviceCategories } from '../../../../shared/domain';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ContractDetailView } from '../ContractDetailView';
import { ContractList } from '../ContractList';
import { useContractStats, useRegulatorContracts } from '../contracts.api';
import type { ContractState } from '../contracts.types';
import { useMoney } from '../../../shared/money';

const states: ContractState[] = ['filed', 'terminating', 'terminated', 'disputed', 'superseded'];

/** /regulator/contracts: search filed contracts and see clause statistics; a contract's page. */
export default function RegulatorContractsSection() {
  return (
    <Routes>
      <Route index element={<Search />} />
      <Route path=":id" element={<One />} />
    </Routes>
  );
}

function Search() {
  const t = useT();
  const money = useMoney();
  const { locale } = useLocale();
  useDocumentTitle(t('contracts.reg.title'));
  const [draft, setDraft] = useState<Record<string, string | undefined>>({});
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const q = useRegulatorContracts(filters);
  const stats = useContractStats();
  const s = stats.data;
  return (
    <div className="console-page contract-page">
      <Card title={t('contracts.reg.stats')}>
        <ErrorAlert error={stats.error} />
        {s && (
          <>
            <Row gutter={12}>
              <Col xs={12} sm={6}>
                <Statistic title={t('contracts.reg.total')} value={s.total} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={t('contracts.field.restDays')} value={s.averages.restDaysPerMonth ?? '—'} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={t('contracts.field.deposit')} value={money(s.averages.depositFen)} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic
                  title={t('contracts.reg.insured')}
                  value={s.insuredShare === null ? '—' : `${Math.round(s.insuredShare * 100)}%`}
                />
              </Col>
            </Row>
            <Table
              size="small"
              style={{ marginTop: 12 }}
              pagination={false}
              rowKey="rule"
              dataSource={s.clauses}
              columns={[
                {
                  title: t('contracts.reg.rule'),
                  dataIndex: 'rule',
                  render: (r: string) => t(`contracts.rule.${r}` as MessageKey),
                },
                {
                  title: t('contracts.reg.passed'),
                  render: (_: unknown, r: { passed: number; checked: number }) =>
                    `${r.passed} / ${r.checked}`,
                },
              ]}
            />
          </>
        )}
      </Card>
      <Card title={t('contracts.reg.title')} style={{ marginTop: 12 }}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input
            placeholder={t('contracts.reg.companyId')}
            value={draft.companyId}
            onChange={(e) => setDraft({ ...draft, companyId: e.target.value || undefined })}
            style={{ width: 200 }}
          />
          <Select
            aria-label={t('contracts.reg.category')}
            allowClear
            placeholder={t('contracts.reg.category')}
            style={{ width: 180 }}
            value={draft.category}
            onChange={(v) => setDraft({ ...draft, category: v })}
            options={serviceCategories.map((c) => ({ value: c.code, label: locale === 'en' ? c.en : c.zh }))}
          />
          <Select
            aria-label={t('contracts.reg.state')}
            allowClear
            placeholder={t('contracts.reg.state')}
            style={{ width: 140 }}
            value={draft.state}
            onChange={(v) => setDraft({ ...draft, state: v })}
            options={states.map((x) => ({ value: x, label: t(`contracts.state.${x}` as MessageKey) }))}
          />
          <Input
            type="date"
            aria-label={t('contracts.reg.from')}
            onChange={(e) =>
              setDraft({ ...draft, from: e.target.value ? `${e.target.value}T00:00:00+08:00` : undefined })
            }
          />
          <Input
            type="date"
            aria-label={t('contracts.reg.to')}
            onChange={(e) =>
              setDraft({ ...draft, to: e.target.value ? `${e.target.value}T23:59:59+08:00` : undefined })
            }
          />
          <Button type="primary" onClick={() => setFilters(draft)}>
            {t('contracts.reg.search')}
          </Button>
        </Space>
        <ContractList q={q} linkTo={(c) => `/regulator/contracts/${c.id}`} />
      </Card>
    </div>
  );
}

function One() {
  const { id = '' } = useParams();
  return <ContractDetailView id={id} linkBase="/regulator/contracts" />;
}
