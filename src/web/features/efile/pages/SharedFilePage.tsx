import { Result, Spin } from 'antd';
import { useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { SharedFileView } from '../components';
import { useSharedFile } from '../efile.api';

/** /shared/:token — a worker's file opened from the share link they sent; any invalid link says so plainly. */
export default function SharedFilePage() {
  const t = useT();
  useDocumentTitle(t('efile.shared.title'));
  const { token = '' } = useParams();
  const file = useSharedFile(token);
  if (file.isLoading) return <Spin />;
  if (file.error || !file.data)
    return (
      <Result status="warning" title={t('efile.shared.invalid')} subTitle={t('efile.shared.invalidBody')} />
    );
  return (
    <div className="console-page efile-shared" style={{ padding: 12 }}>
      <h1>{t('efile.shared.title')}</h1>
      <SharedFileView file={file.data} />
    </div>
  );
}
