import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Spin } from 'antd';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useWallet } from '../certification.api';
import { Checklist, TrustBadge } from '../components';

/** /worker/card: my 安心服务证 with its QR code and live colour; PDF/PNG downloads. Phone first. */
export default function WorkerCardPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.worker.certificate'));
  const wallet = useWallet();
  if (wallet.isLoading) return <Spin />;
  if (wallet.error) return <ErrorAlert error={wallet.error} />;
  const w = wallet.data!;
  const cert = w.certificate && w.certificate.state !== 'revoked' ? w.certificate : null;
  return (
    <div className="console-page wallet">
      <h1>{t('sec.worker.certificate')}</h1>
      <p>
        <TrustBadge color={w.color} reason={w.reason} />
      </p>
      {!w.canTakeNewBookings ? <Alert type="warning" showIcon message={t('cert.wallet.noBookings')} /> : null}
      {cert ? (
        <Card size="small" className="wallet-card">
          {/* The server draws the card (Noto CJK, QR of the verification URL); the same image prints. */}
          <img
            src={`/api/v1/workers/me/card.png?v=${encodeURIComponent(cert.id + cert.state)}`}
            alt={t('cert.wallet.cardAlt', { number: cert.number })}
            style={{ width: '100%', height: 'auto', maxWidth: 486 }}
          />
          <p>
            {t('common.labelValue', { label: t('verify.field.number'), value: cert.number })}
            <br />
            {t('common.labelValue', {
              label: t('verify.field.validity'),
              value: `${formatDate(cert.validFrom, locale)} – ${formatDate(cert.validUntil, locale)}`,
            })}
          </p>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href="/api/v1/workers/me/card.pdf" download>
              PDF
            </Button>
            <Button icon={<DownloadOutlined />} href="/api/v1/workers/me/card.png" download>
              PNG
            </Button>
            {w.verifyUrl ? (
              <Button type="link" href={w.verifyUrl} target="_blank" rel="noopener">
                {t('cert.wallet.open')}
              </Button>
            ) : null}
          </Space>
        </Card>
      ) : (
        <Alert type="info" showIcon message={t('cert.wallet.none')} />
      )}
      <h2>{t('cert.checks')}</h2>
      <Checklist checks={w.checks} />
    </div>
  );
}
