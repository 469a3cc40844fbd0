import { Button, Card, Form, Input, Space } from 'antd';
import { useT } from '../../../shared/i18n';
import VerifyPage from './VerifyPage';

/** /resident/verify: paste a scanned link (opens the server page) or look a number up. */
export default function ResidentVerifyPage() {
  const t = useT();
  return (
    <div className="console-page">
      <Card size="small" title={t('cert.resident.scanTitle')}>
        {/* Label above, field and button on one line: an inline form ran the field past the card on a phone. */}
        <Form
          layout="vertical"
          onFinish={(v: { link: string }) => {
            const m = /\/v\/([A-Za-z0-9_.-]+)/.exec(v.link.trim());
            if (m) window.location.assign(`/v/${m[1]}`);
          }}
        >
          <Form.Item label={t('cert.resident.link')} htmlFor="resident-verify-link" required>
            <Space.Compact block>
              <Form.Item
                name="link"
                noStyle
                rules={[
                  {
                    required: true,
                    pattern: /\/v\/[A-Za-z0-9_.-]+/,
                    message: t('cert.resident.linkInvalid'),
                  },
                ]}
              >
                <Input id="resident-verify-link" placeholder="https://…/v/…" allowClear />
              </Form.Item>
              <Button htmlType="submit">{t('cert.resident.open')}</Button>
            </Space.Compact>
          </Form.Item>
        </Form>
      </Card>
      <VerifyPage />
    </div>
  );
}
