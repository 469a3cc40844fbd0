import { Alert, Button, Card, Descriptions, Input, Space, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { verifyNumber, verifyPdf } from '../contracts.api';
import '../contracts.css';
import type { Verification } from '../contracts.types';

const toBase64 = async (f: File) => {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** /contracts/verify?no=…: anyone checks a contract number, and optionally whether a PDF is the filed one. */
export default function ContractVerifyPage() {
  const t = useT();
  useDocumentTitle(t('contracts.verify.title'));
  const [params] = useSearchParams();
  const [no, setNo] = useState(params.get('no') ?? '');
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (file?: File) => {
    setBusy(true);
    setError(null);
    try {
      setResult(file ? await verifyPdf(no.trim(), await toBase64(file)) : await verifyNumber(no.trim()));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: check once when opened from the QR code
  useEffect(() => {
    if (params.get('no')) void run();
  }, []);

  return (
    <div className="contract-page" style={{ margin: '16px auto', padding: '0 12px' }}>
      <Card title={t('contracts.verify.title')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={no}
              onChange={(e) => setNo(e.target.value)}
              placeholder={t('contracts.verify.number')}
              aria-label={t('contracts.verify.number')}
            />
            <Button type="primary" loading={busy} disabled={!no.trim()} onClick={() => void run()}>
              {t('contracts.verify.check')}
            </Button>
          </Space.Compact>
          <Upload
            accept="application/pdf"
            showUploadList={false}
            beforeUpload={(f) => {
              void run(f);
              return false;
            }}
          >
            <Button disabled={!no.trim()}>{t('contracts.verify.upload')}</Button>
          </Upload>
          <ErrorAlert error={error} />
          {result && <Result r={result} />}
        </Space>
      </Card>
    </div>
  );
}

function Result({ r }: { r: Verification }) {
  const t = useT();
  if (!r.found)
    return (
      <Alert
        type="error"
        showIcon
        data-testid="verify-result"
        message={r.checkCharacterValid ? t('contracts.verify.notFound') : t('contracts.verify.badNumber')}
      />
    );
  return (
    <>
      {r.matches !== undefined && (
        <Alert
          type={r.matches ? 'success' : 'error'}
          showIcon
          data-testid="verify-pdf-result"
          message={r.matches ? t('contracts.verify.pdfMatches') : t('contracts.verify.pdfDiffers')}
        />
      )}
      <Alert
        type={r.effective ? 'success' : 'warning'}
        showIcon
        data-testid="verify-result"
        message={r.effective ? t('contracts.verify.effective') : t('contracts.verify.notEffective')}
      />
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('contracts.field.number')}>{r.number}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.filingNo')}>{r.filingNo ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.state')}>
          {r.state ? t(`contracts.state.${r.state}` as MessageKey) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.field.company')}>{r.companyName}</Descriptions.Item>
        {r.pdfSha256 && (
          <Descriptions.Item label="SHA-256">
            <code style={{ wordBreak: 'break-all', fontSize: 11 }}>{r.pdfSha256}</code>
          </Descriptions.Item>
        )}
      </Descriptions>
    </>
  );
}
