import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { exportUrl, reportPdfUrl, useGenerateReport, useReports } from '../insights.api';
import type { Report } from '../insights.types';
import { shanghaiTime } from '../vocab';
import '../insights.css';

const tables = [
  'summary',
  'companies-by-grade',
  'orders-by-district',
  'orders-by-category',
  'orders-by-mode',
  'trend',
  'complaints-by-district',
] as const;

/** /regulator/reports: the monthly report archive (PDF, made by a job on the 1st) and every table as Excel or CSV. */
export default function RegulatorReportsPage() {
  const t = useT();
  const { message } = App.useApp();
  useDocumentTitle(t('sec.regulator.reports'));
  const reports = useReports();
  const generate = useGenerateReport();
  const [month, setMonth] = useState(dayjs().subtract(1, 'month'));
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().subtract(11, 'month'), dayjs()]);
  const f = { from: range[0].format('YYYY-MM'), to: range[1].format('YYYY-MM') };
  return (
    <div className="console-page insights-page">
      <h1>{t('insights.reports.title')}</h1>
      <p className="muted small">{t('insights.reports.explain')}</p>
      <Card size="small" title={t('insights.reports.archive')}>
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker
            picker="month"
            allowClear={false}
            aria-label={t('insights.reports.month')}
            value={month}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(d) => d && setMonth(d)}
          />
          <Button
            type="primary"
            icon={<FilePdfOutlined />}
            loading={generate.isPending}
            onClick={() =>
              generate.mutate(month.format('YYYY-MM'), {
                onSuccess: (r) => void message.success(t('insights.reports.generated', { month: r.month })),
                onError: (e) => void message.error(e.message),
              })
            }
          >
            {t('insights.reports.generate')}
          </Button>
        </Space>
        {reports.isError && <ErrorAlert error={reports.error} />}
        <Table<Report>
          rowKey="id"
          size="small"
          loading={reports.isPending}
          pagination={false}
          scroll={{ x: true }}
          dataSource={reports.data?.items ?? []}
          columns={[
            { title: t('insights.reports.month'), dataIndex: 'month' },
            { title: t('insights.reports.asOf'), render: (_, r) => shanghaiTime(r.asOf) },
            {
              title: t('insights.reports.by'),
              render: (_, r) => t(`insights.trigger.${r.trigger}` as MessageKey),
            },
            { title: t('insights.reports.size'), render: (_, r) => `${Math.ceil(r.bytes / 1024)} KB` },
            {
              title: t('insights.reports.file'),
              render: (_, r) => (
                <a href={reportPdfUrl(r.id)} target="_blank" rel="noreferrer">
                  {t('insights.reports.download', { month: r.month })}
                </a>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('insights.exports.title')} className="insights-table">
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker
            picker="month"
            allowClear={false}
            aria-label={t('insights.filter.period')}
            value={range}
            onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])}
          />
          <Button icon={<DownloadOutlined />} href={exportUrl('all', f, 'xlsx')}>
            {t('insights.export.xlsx')}
          </Button>
        </Space>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={tables.map((k) => ({ key: k }))}
          columns={[
            {
              title: t('insights.exports.table'),
              render: (_, r) => t(`insights.table.${r.key}` as MessageKey),
            },
            {
              title: t('insights.exports.download'),
              render: (_, r) => (
                <Space>
                  <a href={exportUrl(r.key, f, 'xlsx')}>
                    {t('insights.exports.xlsxOf', { name: t(`insights.table.${r.key}` as MessageKey) })}
                  </a>
                  <a href={exportUrl(r.key, f, 'csv')}>
                    {t('insights.exports.csvOf', { name: t(`insights.table.${r.key}` as MessageKey) })}
                  </a>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
