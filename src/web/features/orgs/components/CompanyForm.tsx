import { Button, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { useEffect } from 'react';
import { districtByCode } from '../../../../shared/districts';
import { parseUscc } from '../../../../shared/validators';
import { useLocale, useT } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useOrgLabels } from '../labels';
import type { CompanyDetail, CompanyInput } from '../orgs.types';

type Values = Omit<CompanyInput, 'location'> & { lon: number; lat: number };

const toValues = (c: CompanyDetail): Partial<Values> => ({
  name: c.name,
  uscc: c.uscc ?? '',
  legalRepresentative: c.legalRepresentative ?? '',
  model: c.model ?? 'employee',
  address: c.address ?? '',
  district: c.district ?? undefined,
  lon: c.location?.lon,
  lat: c.location?.lat,
  serviceCategories: c.serviceCategories,
  contactName: c.contactName ?? '',
  contactPhone: c.contactPhone ?? '',
  description: c.description ?? '',
});

/** The company application fields, used to apply and to edit a draft or an application asked for more. */
export function CompanyForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  initial?: CompanyDetail | undefined;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: CompanyInput) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const labels = useOrgLabels();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (initial) form.setFieldsValue(toValues(initial));
  }, [initial, form]);
  useEffect(() => {
    if (error) applyFieldErrors(form, error, locale);
  }, [error, form, locale]);

  // Choosing a district proposes its centre as the map point until the applicant sets one.
  const onDistrict = (code: string) => {
    const d = districtByCode.get(code);
    if (d && !form.getFieldValue('lon')) form.setFieldsValue({ lon: d.lon, lat: d.lat });
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ model: 'employee', serviceCategories: [] }}
      onFinish={(v) =>
        onSubmit({
          name: v.name,
          uscc: v.uscc,
          legalRepresentative: v.legalRepresentative,
          model: v.model,
          address: v.address,
          district: v.district,
          location: { lon: v.lon, lat: v.lat },
          serviceCategories: v.serviceCategories,
          contactName: v.contactName,
          contactPhone: v.contactPhone,
          description: v.description || null,
        })
      }
    >
      <ErrorAlert error={error} className="form-alert" />
      <Form.Item name="name" label={t('org.f.name')} rules={[{ required: true, max: 100 }]}>
        <Input autoComplete="organization" />
      </Form.Item>
      <Form.Item
        name="uscc"
        label={t('org.f.uscc')}
        extra={t('org.f.usccHint')}
        rules={[
          { required: true },
          {
            validator: (_r, v: string) =>
              !v || parseUscc(v).ok ? Promise.resolve() : Promise.reject(new Error(t('org.f.usccInvalid'))),
          },
        ]}
      >
        <Input maxLength={18} style={{ textTransform: 'uppercase' }} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item
            name="legalRepresentative"
            label={t('org.f.legalRep')}
            rules={[{ required: true, max: 30 }]}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="model" label={t('org.f.model')} rules={[{ required: true }]}>
            <Select options={labels.modelOptions} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="district" label={t('org.f.district')} rules={[{ required: true }]}>
        <Select options={labels.districtOptions} onChange={onDistrict} />
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
      <Form.Item
        name="serviceCategories"
        label={t('org.f.categories')}
        rules={[{ required: true, type: 'array', min: 1 }]}
      >
        <Select mode="multiple" options={labels.categoryOptions} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="contactName" label={t('org.f.contactName')} rules={[{ required: true, max: 30 }]}>
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
      <Form.Item name="description" label={t('org.f.description')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pending} block>
        {submitLabel}
      </Button>
    </Form>
  );
}
