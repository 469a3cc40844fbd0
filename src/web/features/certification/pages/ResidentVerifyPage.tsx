import { Card, Form, Input, Button } from 'antd';
import { useT } from '../../../shared/i18n';
import VerifyPage from './VerifyPage';

/** /resident/verify: paste a scanned link (opens the server page) or look a number up. */
export default function ResidentVerifyPage() {
  const t = useT();
  return (
    <div className="console-page">
      <Card size="small" title={t('cert.resident.scanTitle')}>
        <Form
          layout="inline"
          onFinish={(v: { link: string }) => {
            const m = /\/v\/([A-Za-z0-9_.-]+)/.exec(v.link.trim());
            if (m) window.location.assign(`/v/${m[1]}`);
          }}
        >
          <Form.Item
            name="link"
            label={t('cert.resident.link')}
            rules={[
              { required: true, pattern: /\/v\/[A-Za-z0-9_.-]+/, message: t('cert.resident.linkInvalid') },
            ]}
          >
            <Input placeholder="https://…/v/…" allowClear />
          </Form.Item>
          <Button htmlType="submit">{t('cert.resident.open')}</Button>
        </Form>
      </Card>
      <VerifyPage />
    </div>
  );
}
