import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { districts } from '../../../../shared/districts';
import { priceUnits, serviceCategories } from '../../../../shared/domain';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { usePrice, useVocab } from '../../discovery/components/labels';
import { type GuidePrice, useEndGuide, useGuides, usePublishGuide } from '../catalog.api';

interface FormValues {
  category: string;
  district?: string;
  unit: string;
  minYuan: number;
  maxYuan: number;
  effectiveFrom?: Dayjs;
  note?: string;
}

/** /regulator/prices: guide prices (统一价格指导) per category and district, with history. */
export default function RegulatorPricesPage() {
  const t = useT();
  useDocumentTitle(t('guide.title'));
  const v = useVocab();
  const price = usePrice();
  const { message } = App.useApp();
  const guides = useGuides('regulator');
  const publish = usePublishGuide();
  const end = useEndGuide();
  const [form] = Form.useForm<FormValues>();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const inForce = (g: GuidePrice) =>
    g.effectiveFrom <= today && (!g.effectiveUntil || g.effectiveUntil > today);
  return (
    <div className="console-page">
      <Card title={t('guide.publish')} size="small">
        <Form<FormValues>
          form={form}
          layout="vertical"
          onFinish={(f) =>
            publish.mutate(
              {
                category: f.category,
                district: f.district ?? null,
                unit: f.unit,
                minFen: Math.round(f.minYuan * 100),
                maxFen: Math.round(f.maxYuan * 100),
                note: f.note || null,
                ...(f.effectiveFrom ? { effectiveFrom: f.effectiveFrom.format('YYYY-MM-DD') } : {}),
              },
              {
                onSuccess: () => {
                  message.success(t('guide.published'));
                  form.resetFields();
                },
                onError: (e) => message.error(e.message),
              },
            )
          }
        >
          <Form.Item name="category" label={t('find.category')} rules={[{ required: true }]}>
            <Select options={serviceCategories.map((c) => ({ value: c.code, label: v.category(c.code) }))} />
          </Form.Item>
          <Form.Item name="district" label={t('find.district')} extra={t('guide.cityWide')}>
            <Select allowClear options={districts.map((d) => ({ value: d.code, label: d.name }))} />
          </Form.Item>
          <Form.Item name="unit" label={t('catalog.field.unit')} rules={[{ required: true }]}>
            <Select options={priceUnits.map((u) => ({ value: u.code, label: v.unit(u.code) }))} />
          </Form.Item>
          <Form.Item name="minYuan" label={t('guide.min')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="maxYuan" label={t('guide.max')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="effectiveFrom" label={t('guide.from')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="note" label={t('guide.note')}>
            <Input maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={publish.isPending}>
            {t('guide.publish')}
          </Button>
        </Form>
      </Card>
      <Card title={t('guide.title')} size="small" style={{ marginTop: 12 }}>
        {guides.error ? (
          <ErrorAlert error={guides.error} />
        ) : (
          <Table<GuidePrice>
            rowKey="id"
            size="small"
            loading={guides.isPending}
            dataSource={guides.data?.items ?? []}
            scroll={{ x: true }}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('find.category'), render: (_, g) => v.category(g.category) },
              {
                title: t('find.district'),
                render: (_, g) => (g.district ? v.district(g.district) : t('guide.city')),
              },
              { title: t('guide.range'), render: (_, g) => price(g.minFen, g.unit, g.maxFen) },
              {
                title: t('guide.period'),
                render: (_, g) => `${g.effectiveFrom} – ${g.effectiveUntil ?? ''}`,
              },
              {
                title: t('guide.state'),
                render: (_, g) =>
                  inForce(g) ? <Tag color="green">{t('guide.inForce')}</Tag> : <Tag>{t('guide.ended')}</Tag>,
              },
              {
                title: '',
                render: (_, g) =>
                  inForce(g) || g.effectiveFrom > today ? (
                    <Button
                      size="small"
                      danger
                      loading={end.isPending}
                      onClick={() => end.mutate(g.id, { onError: (e) => message.error(e.message) })}
                    >
                      {t('guide.end')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
