import { Button, DatePicker, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { settlementExportUrl, useSettlement } from '../insurance.api';
import type { SettlementLine } from '../insurance.types';
import { useMoney } from '../../../shared/money';

/** /regulator/insurance: subsidy owed per insurer and company for a period, the policies behind each, exports. */
export default function RegulatorInsurancePage() {
  const t = useT();
  const money = useMoney();
  useDocumentTitle(t('sec.regulator.insurance'));
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().startOf('month'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const q = useSettlement(from, to);
  return (
    <div className="console-page insurance-page">
      <h1>{t('insurance.settlement.title')}</h1>
      <p className="muted small">{t('insurance.settlement.explain')}</p>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        <Button href={settlementExportUrl(from, to, 'xlsx')}>{t('insurance.export.xlsx')}</Button>
        <Button href={settlementExportUrl(from, to, 'csv')}>{t('insurance.export.csv')}</Button>
      </Space>
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : (
        <Table<SettlementLine>
          rowKey={(l) => `${l.insurer.id}|${l.company?.id ?? ''}`}
          size="small"
          scroll={{ x: true }}
          dataSource={q.data.lines}
          pagination={false}
          expandable={{
            expandedRowRender: (l) => (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={l.policies}
                columns={[
                  { title: t('insurance.policy.number'), dataIndex: 'number' },
                  { title: t('insurance.policy.worker'), dataIndex: 'workerName' },
                  { title: t('insurance.policy.product'), dataIndex: 'product' },
                  { title: t('insurance.policy.period'), render: (_, p) => `${p.startsOn} ~ ${p.endsOn}` },
                  { title: t('insurance.premium'), render: (_, p) => money(p.premiumFen) },
                  { title: t('insurance.subsidy'), render: (_, p) => money(p.subsidyFen) },
                ]}
              />
            ),
          }}
          columns={[
            { title: t('insurance.insurer'), render: (_, l) => l.insurer.name },
            {
              title: t('insurance.policy.company'),
              render: (_, l) => l.company?.name ?? t('insurance.individual'),
            },
            { title: t('insurance.settlement.count'), dataIndex: 'policyCount' },
            { title: t('insurance.premium'), render: (_, l) => money(l.premiumFen) },
            { title: t('insurance.subsidy'), render: (_, l) => money(l.subsidyFen) },
            { title: t('insurance.companyShare'), render: (_, l) => money(l.companyFen) },
            { title: t('insurance.workerShare'), render: (_, l) => money(l.workerFen) },
          ]}
          summary={() => (
            <Table.Summary.Row className="insurance-totals">
              <Table.Summary.Cell index={0} />
              <Table.Summary.Cell index={1}>{t('insurance.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
              <Table.Summary.Cell index={3}>{q.data.total.policyCount}</Table.Summary.Cell>
              <Table.Summary.Cell index={4}>{money(q.data.total.premiumFen)}</Table.Summary.Cell>
              <Table.Summary.Cell index={5}>
                <span data-testid="total-subsidy">{money(q.data.total.subsidyFen)}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6}>{money(q.data.total.companyFen)}</Table.Summary.Cell>
              <Table.Summary.Cell index={7}>{money(q.data.total.workerFen)}</Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      )}
    </div>
  );
}
