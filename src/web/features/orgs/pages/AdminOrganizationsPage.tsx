import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { districtByCode } from '../../../../shared/districts';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { OrgStatusTag, useOrgLabels } from '../labels';
import { useAdminOrganizations, useCreateOrganization } from '../orgs.api';
import type { NewOrganizationInput } from '../orgs.types';

type Values = Omit<NewOrganizationInput, 'location'> & { lon: number; lat: number };
const types = ['company', 'station', 'training', 'insurer'] as const;

/** 机构管理: every organization by type; create a station, training institution or insurer. */
export default function AdminOrganizationsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const labels = useOrgLabels();
  useDocumentTitle(t('org.admin.title'));
  const [type, setType] = useState<string | undefined>('station');
  const [open, setOpen] = useState(false);
  const list = useAdminOrganizations(type);
  const create = useCreateOrganization();
  const [form] = Form.useForm<Values>();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (v: Values) => {
    const { lon, lat, adminPhone, ...rest } = v;
    create.mutate(
      { ...rest, location: { lon, lat }, ...(adminPhone ? { adminPhone } : {}) },
      {
        onSuccess: () => {
          message.success(t('org.admin.created'));
          setOpen(false);
          form.resetFields();
        },
        onError: (e) => applyFieldErrors(form, e, locale),
      },
    );
  };

  return (
    <div className="console-page">
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <h1 className="section-heading">{t('org.admin.title')}</h1>
        <Space wrap>
          <Select
            aria-label={t('org.admin.type')}
            allowClear
            style={{ width: 140 }}
            value={type}
            onChange={setType}
            placeholder={t('org.admin.type')}
            options={types.map((x) => ({ value: x, label: t(`org.type.${x}` as MessageKey) }))}
          />
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('org.admin.new')}
          </Button>
        </Space>
      </Space>
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('org.f.name'), dataIndex: 'name', width: 160 },
            {
              title: t('org.admin.type'),
              dataIndex: 'type',
              render: (x: string) => <Tag>{t(`org.type.${x}` as MessageKey)}</Tag>,
            },
            {
              title: t('org.f.district'),
              dataIndex: 'district',
              render: (d: string) => labels.district(d),
              responsive: ['sm'],
            },
            { title: t('org.f.address'), dataIndex: 'address', responsive: ['md'] },
            {
              title: t('org.f.contactName'),
              key: 'c',
              render: (_v, r) => `${r.contactName ?? ''} ${r.contactPhone ?? ''}`,
              responsive: ['md'],
            },
            { title: t('org.reg.status'), dataIndex: 'status', render: (s) => <OrgStatusTag status={s} /> },
          ]}
        />
        {list.hasNextPage && (
          <Button
            block
            style={{ marginTop: 12 }}
            loading={list.isFetchingNextPage}
            onClick={() => list.fetchNextPage()}
          >
            {t('org.more')}
          </Button>
        )}
      </Card>
      <Modal
        open={open}
        title={t('org.admin.new')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: create.isPending }}
        destroyOnClose
      >
        <ErrorAlert error={create.error} className="form-alert" />
        <Form<Values> form={form} layout="vertical" initialValues={{ type: 'station' }} onFinish={submit}>
          <Form.Item name="type" label={t('org.admin.type')} rules={[{ required: true }]}>
            <Select
              options={(['station', 'training', 'insurer'] as const).map((x) => ({
                value: x,
                label: t(`org.type.${x}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('org.f.name')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="district" label={t('org.f.district')} rules={[{ required: true }]}>
            <Select
              options={labels.districtOptions}
              onChange={(code: string) => {
                const d = districtByCode.get(code);
                if (d) form.setFieldsValue({ lon: d.lon, lat: d.lat });
              }}
            />
          </Form.Item>
          <Form.Item name="address" label={t('org.f.address')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={12}>
              <Form.Item
                name="lon"
                label={t('org.f.lon')}
                rules={[{ required: true, type: 'number', min: 73, max: 136 }]}
              >
                <InputNumber step={0.001} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12}>
              <Form.Item
                name="lat"
                label={t('org.f.lat')}
                rules={[{ required: true, type: 'number', min: 3, max: 54 }]}
              >
                <InputNumber step={0.001} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="contactName"
                label={t('org.f.contactName')}
                rules={[{ required: true, max: 30 }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="contactPhone"
                label={t('org.f.contactPhone')}
                rules={[{ required: true, max: 20 }]}
              >
                <Input inputMode="tel" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="adminPhone"
            label={t('org.admin.adminPhone')}
            extra={t('org.admin.adminPhoneHint')}
          >
            <Input inputMode="tel" maxLength={11} />
          </Form.Item>
          <Form.Item name="description" label={t('org.f.description')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
