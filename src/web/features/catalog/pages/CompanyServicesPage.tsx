import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import { useState } from 'react';
import { serviceCategories, serviceModes } from '../../../../shared/domain';
import { unitsOfMode } from '../../../../shared/pricing';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { GuideFlagTag, usePrice, useVocab } from '../../discovery/components/labels';
import { useMe } from '../../identity/identity.api';
import { type ServiceItem, type ServiceItemInput, useOwnItems, useSaveItem } from '../catalog.api';

interface FormValues {
  category: string;
  mode: keyof typeof unitsOfMode;
  unit: string;
  priceYuan: number;
  priceMaxYuan?: number | null;
  title: string;
  description?: string;
  active: boolean;
}

/** /company/services: the company's published service items and prices, with guide-range flags. */
export default function CompanyServicesPage() {
  const t = useT();
  useDocumentTitle(t('catalog.title'));
  const me = useMe().data;
  const orgId = me?.memberships.find((m) => m.orgType === 'company')?.orgId;
  const items = useOwnItems(orgId);
  const [editing, setEditing] = useState<ServiceItem | 'new' | null>(null);
  if (!orgId) return <Empty description={t('catalog.noCompany')} />;
  if (items.isPending) return <PageLoader />;
  if (items.error) return <ErrorAlert error={items.error} />;
  return (
    <div className="console-page">
      <Card
        title={t('catalog.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('catalog.add')}
          </Button>
        }
      >
        <p className="find-card-meta">{t('catalog.intro')}</p>
        {items.data.items.length === 0 ? (
          <Empty description={t('catalog.empty')} />
        ) : (
          <ItemList items={items.data.items} orgId={orgId} onEdit={setEditing} />
        )}
      </Card>
      {editing && (
        <ItemModal orgId={orgId} item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}

function ItemList({
  items,
  orgId,
  onEdit,
}: {
  items: ServiceItem[];
  orgId: string;
  onEdit: (i: ServiceItem) => void;
}) {
  const t = useT();
  const v = useVocab();
  const price = usePrice();
  const save = useSaveItem(orgId);
  const { message } = App.useApp();
  return (
    <List
      itemLayout="vertical"
      dataSource={items}
      renderItem={(i) => (
        <List.Item
          actions={[
            <Switch
              key="active"
              checked={i.active}
              checkedChildren={t('catalog.active')}
              unCheckedChildren={t('catalog.withdrawn')}
              loading={save.isPending}
              onChange={(active) =>
                save.mutate(
                  { id: i.id, input: toInput(i, { active }) },
                  { onError: (e) => message.error(e.message) },
                )
              }
            />,
            <Button key="edit" size="small" onClick={() => onEdit(i)}>
              {t('catalog.edit')}
            </Button>,
          ]}
        >
          <List.Item.Meta
            title={
              <Space size={4} wrap>
                {i.title}
                <Tag>{t('catalog.version', { n: i.version })}</Tag>
              </Space>
            }
            description={
              <Space size={4} wrap>
                <span className="find-price">{price(i.priceFen, i.unit, i.priceMaxFen)}</span>
                <Tag>{v.category(i.category)}</Tag>
                <Tag>{v.mode(i.mode)}</Tag>
                <GuideFlagTag flag={i.guideFlag} />
                {i.guide && (
                  <span className="find-card-meta">
                    {t('catalog.guide', { range: price(i.guide.minFen, i.unit, i.guide.maxFen) })}
                  </span>
                )}
              </Space>
            }
          />
        </List.Item>
      )}
    />
  );
}

const toInput = (i: ServiceItem, over: Partial<ServiceItemInput> = {}): ServiceItemInput => ({
  category: i.category,
  mode: i.mode,
  unit: i.unit,
  priceFen: i.priceFen,
  priceMaxFen: i.priceMaxFen,
  title: i.title,
  description: i.description,
  active: i.active,
  ...over,
});

function ItemModal({
  orgId,
  item,
  onClose,
}: {
  orgId: string;
  item: ServiceItem | null;
  onClose: () => void;
}) {
  const t = useT();
  const v = useVocab();
  const { message } = App.useApp();
  const save = useSaveItem(orgId);
  const [form] = Form.useForm<FormValues>();
  const mode = Form.useWatch('mode', form);
  const submit = (f: FormValues) =>
    save.mutate(
      {
        id: item?.id,
        input: {
          category: f.category,
          mode: f.mode,
          unit: f.unit,
          priceFen: Math.round(f.priceYuan * 100),
          priceMaxFen: f.priceMaxYuan ? Math.round(f.priceMaxYuan * 100) : null,
          title: f.title,
          description: f.description || null,
          active: f.active,
        },
      },
      {
        onSuccess: (saved) => {
          message.success(saved.guideFlag ? t('catalog.savedFlagged') : t('catalog.saved'));
          onClose();
        },
        onError: (e) => message.error(e.message),
      },
    );
  return (
    <Modal
      open
      title={item ? t('catalog.edit') : t('catalog.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okText={t('catalog.save')}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          item
            ? {
                ...item,
                priceYuan: item.priceFen / 100,
                priceMaxYuan: item.priceMaxFen ? item.priceMaxFen / 100 : null,
              }
            : { mode: 'hourly', unit: 'hour', active: true }
        }
      >
        <Form.Item name="title" label={t('catalog.field.title')} rules={[{ required: true, max: 80 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="category" label={t('find.category')} rules={[{ required: true }]}>
          <Select options={serviceCategories.map((c) => ({ value: c.code, label: v.category(c.code) }))} />
        </Form.Item>
        <Form.Item name="mode" label={t('catalog.field.mode')} rules={[{ required: true }]}>
          <Select
            options={serviceModes.map((m) => ({ value: m.code, label: v.mode(m.code) }))}
            onChange={(m: FormValues['mode']) => form.setFieldValue('unit', unitsOfMode[m][0])}
          />
        </Form.Item>
        <Form.Item name="unit" label={t('catalog.field.unit')} rules={[{ required: true }]}>
          <Select
            options={(unitsOfMode[mode ?? 'hourly'] ?? []).map((u) => ({ value: u, label: v.unit(u) }))}
          />
        </Form.Item>
        <Space.Compact block>
          <Form.Item
            name="priceYuan"
            label={t('catalog.field.price')}
            rules={[{ required: true }]}
            style={{ width: '50%' }}
          >
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="priceMaxYuan" label={t('catalog.field.priceMax')} style={{ width: '50%' }}>
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="description" label={t('catalog.field.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="active" label={t('catalog.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
