import '../training.css';
import { Table } from 'antd';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useRecords } from '../training.api';

/** /training/records: training certificates issued (they land in each worker's e-file). */
export default function TrainingRecordsPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.training.records'));
  const records = useRecords();
  return (
    <div className="console-page training-page">
      <h1>{t('sec.training.records')}</h1>
      <ErrorAlert error={records.error} />
      <Table
        size="small"
        rowKey="id"
        loading={records.isLoading}
        scroll={{ x: true }}
        dataSource={records.data?.items ?? []}
        columns={[
          { title: t('training.number'), dataIndex: 'number' },
          { title: t('training.trainee'), dataIndex: 'workerName' },
          { title: t('training.course'), dataIndex: 'courseTitle' },
          { title: t('training.hoursCol'), render: (_, r) => Math.round((r.minutes / 60) * 10) / 10 },
          { title: t('training.score'), dataIndex: 'score' },
          { title: t('training.date'), render: (_, r) => formatDate(r.issuedAt, locale) },
          {
            title: 'PDF',
            render: (_, r) => (
              <a href={r.pdfUrl} target="_blank" rel="noopener">
                PDF
              </a>
            ),
          },
        ]}
      />
    </div>
  );
}
