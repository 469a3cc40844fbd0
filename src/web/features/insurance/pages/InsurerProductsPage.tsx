import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { useCategoryOptions, useCoverageLabel } from '../components';
import { useCreateProduct, useProducts, useSetProductActive } from '../insurance.api';
import { coverageCodes, type Product, type ProductKind } from '../insurance.types';
import { useMoney } from '../../../shared/money';

/** /insurer/policies: the insurer's products (保险产品) and a form to define one. */
export default function InsurerProductsPage() {
  const t = useT();
  const money = useMoney();
  useDocumentTitle(t('sec.insurer.policies'));
  const me = useMe().data;
  const orgId = me?.memberships.find((m) => m.orgType === 'insurer')?.orgId;
  const products = useProducts(orgId ?? null);
  const toggle = useSetProductActive();
  const [creating, setCreating] = useState(false);
  const label = useCoverageLabel();
  const cats = useCategoryOptions();
  if (!orgId) return null;
  return (
    <div className="console-page insurance-page">
      <h1>{t('insurance.products.title')}</h1>
      <p className="muted small">{t('insurance.products.explain')}</p>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setCreating((v) => !v)}>
          {t('insurance.products.new')}
        </Button>
      </Space>
      {creating && <ProductForm orgId={orgId} onDone={() => setCreating(false)} />}
      {products.isPending ? (
        <PageLoader />
      ) : products.isError ? (
        <ErrorAlert error={products.error} />
      ) : (
        <Table<Product>
          rowKey="id"
          size="small"
          scroll={{ x: true }}
          dataSource={products.data.items}
          pagination={false}
          columns={[
            { title: t('insurance.product.title'), dataIndex: 'title' },
            {
              title: t('insurance.product.kind'),
              render: (_, p) => t(`insurance.kind.${p.kind}` as MessageKey),
            },
            {
              title: t('insurance.product.coverage'),
              render: (_, p) =>
                p.coverage.map((c) => <Tag key={c.code}>{`${label(c.code)} ${money(c.amountFen)}`}</Tag>),
            },
            {
              title: t('insurance.premium'),
              render: (_, p) => `${money(p.premiumFen)} / ${p.periodMonths}${t('insurance.months')}`,
            },
            {
              title: t('insurance.product.subsidy'),
              render: (_, p) =>
                `${p.subsidyShareBp / 100}% · ${t('insurance.product.cap')} ${money(p.subsidyCapFen)}`,
            },
            {
              title: t('insurance.product.categories'),
              render: (_, p) => p.categories.map(cats.label).join(t('common.listSep')) || t('insurance.all'),
            },
            {
              title: t('insurance.product.waiting'),
              render: (_, p) => `${p.waitingDays}${t('insurance.days')}`,
            },
            {
              title: t('insurance.product.active'),
              render: (_, p) => (
                <Switch
                  aria-label={`${t('insurance.product.active')} ${p.title}`}
                  checked={p.active}
                  loading={toggle.isPending}
                  onChange={(active) => toggle.mutate({ id: p.id, active })}
                />
              ),
            },
          ]}
        />
      )}
    </div>
  );
}

function ProductForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const t = useT();
  const create = useCreateProduct(orgId);
  const label = useCoverageLabel();
  const cats = useCategoryOptions();
  const { message } = App.useApp();
  return (
    <Card size="small" style={{ marginBottom: 16, maxWidth: 720 }}>
      <Form
        layout="vertical"
        initialValues={{
          kind: 'combined',
          periodMonths: 12,
          subsidyShare: 50,
          waitingDays: 0,
          categories: [],
          amounts: {},
        }}
        onFinish={async (v: {
          title: string;
          kind: ProductKind;
          amounts: Record<string, number | null>;
          premium: number;
          periodMonths: number;
          categories: string[];
          subsidyShare: number;
          cap: number;
          waitingDays: number;
        }) => {
          const coverage = coverageCodes
            .filter((c) => (v.amounts[c] ?? 0) > 0)
            .map((c) => ({ code: c, amountFen: Math.round((v.amounts[c] ?? 0) * 100) }));
          await create.mutateAsync({
            title: v.title,
            kind: v.kind,
            coverage,
            premiumFen: Math.round(v.premium * 100),
            periodMonths: v.periodMonths,
            categories: v.categories,
            subsidyShareBp: Math.round(v.subsidyShare * 100),
            subsidyCapFen: Math.round(v.cap * 100),
            waitingDays: v.waitingDays,
          });
          void message.success(t('insurance.saved'));
          onDone();
        }}
      >
        <Form.Item name="title" label={t('insurance.product.title')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('insurance.product.kind')}>
          <Select
            options={(['accident', 'liability', 'combined'] as const).map((k) => ({
              value: k,
              label: t(`insurance.kind.${k}` as MessageKey),
            }))}
          />
        </Form.Item>
        <p>{t('insurance.product.coverageHint')}</p>
        {coverageCodes.map((c) => (
          <Form.Item key={c} name={['amounts', c]} label={label(c)}>
            <InputNumber min={0} precision={2} style={{ width: 200 }} addonAfter={t('common.yuan')} />
          </Form.Item>
        ))}
        <Form.Item name="premium" label={t('insurance.product.premiumYuan')} rules={[{ required: true }]}>
          <InputNumber min={0.01} precision={2} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="periodMonths" label={t('insurance.product.periodMonths')}>
          <InputNumber min={1} max={24} />
        </Form.Item>
        <Form.Item name="categories" label={t('insurance.product.categories')}>
          <Select mode="multiple" options={cats.options} />
        </Form.Item>
        <Form.Item name="subsidyShare" label={t('insurance.product.sharePct')}>
          <InputNumber min={0} max={100} precision={2} />
        </Form.Item>
        <Form.Item name="cap" label={t('insurance.product.capYuan')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={2} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="waitingDays" label={t('insurance.product.waiting')}>
          <InputNumber min={0} max={180} />
        </Form.Item>
        {create.isError && <ErrorAlert error={create.error} />}
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('insurance.save')}
        </Button>
      </Form>
    </Card>
  );
}
