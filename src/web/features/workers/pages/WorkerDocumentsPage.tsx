import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, List, Select, Space, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { StateTag, useLabels } from '../labels';
import { documentFileUrl, useMyDocuments, useUploadDocument } from '../workers.api';

const MAX_BYTES = 10 * 1024 * 1024;

/** The worker's documents with their review state, and the upload form. */
export default function WorkerDocumentsPage() {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  const { message } = App.useApp();
  const docs = useMyDocuments();
  const uploadDoc = useUploadDocument();
  const [form] = Form.useForm();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const kind = Form.useWatch('kind', form);

  const submit = async () => {
    const v = await form.validateFields();
    const file = files[0]?.originFileObj;
    if (!file) return;
    const fd = new FormData();
    fd.set('kind', v.kind);
    if (v.issuedOn) fd.set('issuedOn', v.issuedOn.format('YYYY-MM-DD'));
    if (v.expiresOn) fd.set('expiresOn', v.expiresOn.format('YYYY-MM-DD'));
    if (v.number) fd.set('number', v.number);
    fd.set('file', file, file.name);
    try {
      await uploadDoc.mutateAsync(fd);
      message.success(t('wk.doc.uploaded'));
      form.resetFields();
      setFiles([]);
    } catch (e) {
      applyFieldErrors(form, e, locale);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('wk.doc.upload')}>
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('wk.doc.kind')} rules={[{ required: true }]}>
            <Select options={l.kindOptions} placeholder={t('wk.doc.kind.placeholder')} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="issuedOn" label={t('wk.doc.issuedOn')} rules={[{ required: kind === 'health' }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item
              name="expiresOn"
              label={t('wk.doc.expiresOn')}
              rules={[{ required: kind === 'health' }]}
            >
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.Item name="number" label={t('wk.doc.number')}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item label={t('wk.doc.file')} required extra={t('wk.doc.fileHint')}>
            <Upload
              accept="image/jpeg,image/png,application/pdf"
              maxCount={1}
              fileList={files}
              beforeUpload={(f) => {
                if (f.size > MAX_BYTES) {
                  message.error(t('wk.doc.tooLarge'));
                  return Upload.LIST_IGNORE;
                }
                return false;
              }}
              onChange={({ fileList }) => setFiles(fileList)}
            >
              <Button icon={<UploadOutlined />}>{t('wk.doc.choose')}</Button>
            </Upload>
          </Form.Item>
          {uploadDoc.error ? <ErrorAlert error={uploadDoc.error} /> : null}
          <Button
            type="primary"
            block
            loading={uploadDoc.isPending}
            disabled={!files.length}
            onClick={submit}
          >
            {t('wk.submit')}
          </Button>
        </Form>
      </Card>
      <Card title={t('wk.doc.list')}>
        {docs.error ? <ErrorAlert error={docs.error} /> : null}
        <List
          loading={docs.isLoading}
          dataSource={docs.data?.items ?? []}
          locale={{ emptyText: t('wk.doc.empty') }}
          renderItem={(d) => (
            <List.Item
              actions={[
                <a key="view" href={documentFileUrl(d.id)}>
                  {t('wk.doc.view')}
                </a>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    {l.kind(d.kind)}
                    <StateTag state={d.state} />
                    {!d.current && (
                      <Typography.Text type="secondary">{t('wk.doc.superseded')}</Typography.Text>
                    )}
                  </Space>
                }
                description={
                  <Space direction="vertical" size={0}>
                    {d.expiresOn && <span>{t('wk.doc.validUntil', { date: d.expiresOn })}</span>}
                    {d.reason && <Typography.Text type="danger">{d.reason}</Typography.Text>}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
