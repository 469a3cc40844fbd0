import { Alert, Button, Card, Empty, Input, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useReport, useReports, useReviewReport } from '../messaging.api';
import { formatTime, systemKeyOf } from '../util';
import '../messaging.css';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

/** /regulator/message-reports: reported conversations; opening one is audited. */
export default function RegulatorReportsSection() {
  return (
    <Routes>
      <Route index element={<ReportList />} />
      <Route path=":id" element={<ReportDetail />} />
    </Routes>
  );
}

function ReportList() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('messaging.reports.title'));
  const [state, setState] = useState<'open' | 'reviewed'>('open');
  const q = useReports(state);
  return (
    <div className="console-page messaging-page">
      <Card
        title={t('messaging.reports.title')}
        extra={
          <FilterSegmented
            label={t('messaging.reports.filterLabel')}
            value={state}
            onChange={(v) => setState(v as 'open' | 'reviewed')}
            options={[
              { value: 'open', label: t('messaging.reports.open') },
              { value: 'reviewed', label: t('messaging.reports.reviewed') },
            ]}
          />
        }
      >
        {q.error ? <ErrorAlert error={q.error} /> : null}
        <List
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('messaging.reports.empty')} /> }}
          renderItem={(r) => (
            <List.Item
              actions={[
                <Link key="o" to={r.id}>
                  {t('messaging.reports.review')}
                </Link>,
              ]}
            >
              <List.Item.Meta
                title={`${r.reporter.name} · ${formatTime(r.createdAt, locale)}`}
                description={r.reason}
              />
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}

function ReportDetail() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('messaging.reports.title'));
  const q = useReport(id);
  const review = useReviewReport(id);
  const [note, setNote] = useState('');
  const d = q.data;
  return (
    <div className="console-page messaging-page">
      <Card title={t('messaging.reports.title')} extra={<Link to="..">{t('messaging.back')}</Link>}>
        <Alert type="info" showIcon message={t('messaging.reports.audited')} style={{ marginBottom: 12 }} />
        {q.error ? <ErrorAlert error={q.error} /> : null}
        {d ? (
          <>
            <p>
              <Tag>
                {d.report.state === 'open' ? t('messaging.reports.open') : t('messaging.reports.reviewed')}
              </Tag>
              {d.report.reason}
            </p>
            <p className="messaging-time">
              {d.conversation.resident.name} ↔{' '}
              {[d.conversation.worker?.name, d.conversation.company?.name].filter(Boolean).join(' · ')}
            </p>
            <div className="messaging-thread">
              {[...d.messages.items].reverse().map((m) => (
                <div
                  key={m.seq}
                  className={m.kind === 'system' ? 'messaging-system' : 'messaging-bubble-row'}
                >
                  {m.kind === 'system' ? (
                    t(systemKeyOf(m))
                  ) : (
                    <>
                      <div className="messaging-bubble">
                        {m.kind === 'image' && m.imageUrl ? (
                          <img src={m.imageUrl} alt={t('messaging.image')} />
                        ) : (
                          m.body
                        )}
                      </div>
                      <div className="messaging-meta">
                        {m.sender?.name} · {formatTime(m.createdAt, locale)}
                      </div>
                    </>
                  )}
                </div>
              ))}
            </div>
            {d.report.state === 'open' ? (
              <Space.Compact style={{ width: '100%', marginTop: 12 }}>
                <Input
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  placeholder={t('messaging.reports.note')}
                  maxLength={1000}
                />
                <Button
                  type="primary"
                  disabled={note.trim().length < 2}
                  loading={review.isPending}
                  onClick={() => review.mutate(note.trim())}
                >
                  {t('messaging.reports.close')}
                </Button>
              </Space.Compact>
            ) : (
              <p>{d.report.reviewNote}</p>
            )}
          </>
        ) : null}
      </Card>
    </div>
  );
}
