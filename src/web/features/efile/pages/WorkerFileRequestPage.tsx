import { Alert, Button, Input, Space, Spin } from 'antd';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { formatDateTime, SharedFileView } from '../components';
import { useFileAccess, useRequestAccess, useViewerFile } from '../efile.api';

/** /resident/workers and /company/worker-files: open a worker by id, ask for access, view the granted file. */
export default function WorkerFileRequestPage() {
  return (
    <Routes>
      <Route index element={<OpenWorker />} />
      <Route path=":id" element={<WorkerFile />} />
    </Routes>
  );
}

function OpenWorker() {
  const t = useT();
  useDocumentTitle(t('efile.request.title'));
  const navigate = useNavigate();
  const [id, setId] = useState('');
  return (
    <div className="console-page">
      <h1>{t('efile.request.title')}</h1>
      <p className="muted small">{t('efile.request.explain')}</p>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          value={id}
          onChange={(e) => setId(e.target.value.trim())}
          placeholder="wk_…"
          aria-label={t('efile.request.workerId')}
        />
        <Button type="primary" disabled={!id} onClick={() => navigate(encodeURIComponent(id))}>
          {t('efile.open')}
        </Button>
      </Space.Compact>
    </div>
  );
}

function WorkerFile() {
  const t = useT();
  const { locale } = useLocale();
  const { id = '' } = useParams();
  useDocumentTitle(t('efile.request.title'));
  const access = useFileAccess(id);
  const file = useViewerFile(id, !!access.data?.grant);
  const ask = useRequestAccess(id);
  const [reason, setReason] = useState('');
  if (access.isLoading) return <Spin />;
  if (access.error) return <ErrorAlert error={access.error} />;
  const a = access.data!;
  return (
    <div className="console-page">
      <h1>
        {t('efile.request.title')} · {a.maskedName}
      </h1>
      {a.grant ? (
        <>
          <Alert
            type="success"
            showIcon
            message={t('efile.shared.until', { date: formatDateTime(a.grant.expiresAt, locale) })}
          />
          {file.isLoading ? <Spin /> : null}
          <ErrorAlert error={file.error} />
          {file.data ? <SharedFileView file={file.data} /> : null}
        </>
      ) : a.request?.state === 'pending' ? (
        <Alert type="info" showIcon message={t('efile.request.pending')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {a.request?.state === 'declined' ? (
            <Alert type="warning" showIcon message={t('efile.request.declined')} />
          ) : null}
          <p className="muted small">{t('efile.request.explain')}</p>
          <Input.TextArea
            rows={3}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('efile.request.reason')}
            aria-label={t('efile.request.reason')}
          />
          <ErrorAlert error={ask.error} />
          <Button
            type="primary"
            disabled={reason.trim().length < 2}
            loading={ask.isPending}
            onClick={() => ask.mutate(reason.trim())}
          >
            {t('efile.request.button')}
          </Button>
        </Space>
      )}
    </div>
  );
}
