import '../training.css';
import { Button, Card, DatePicker, Form, Input, InputNumber, List, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useClassDetail, useClasses, useCourses, useCreateClass } from '../training.api';

/** /training/classes: schedule classes (班次), show the venue's check-in QR code, roster and attendance. */
export default function TrainingClassesPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.training.classes'));
  const classes = useClasses();
  const courses = useCourses();
  const create = useCreateClass();
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm();
  return (
    <div className="console-page training-page">
      <h1>{t('sec.training.classes')}</h1>
      <Card size="small" title={t('training.newClass')} className="training-card">
        <ErrorAlert error={create.error} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ capacity: 30, hoursPerDay: 8 }}
          onFinish={(v) =>
            create.mutate(
              {
                courseId: v.courseId,
                title: v.title,
                startsOn: v.dates[0].format('YYYY-MM-DD'),
                endsOn: v.dates[1].format('YYYY-MM-DD'),
                minutesPerDay: Math.round(v.hoursPerDay * 60),
                venue: v.venue,
                capacity: v.capacity,
              },
              { onSuccess: () => form.resetFields() },
            )
          }
        >
          <Form.Item name="courseId" label={t('training.course')} rules={[{ required: true }]}>
            <Select options={(courses.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))} />
          </Form.Item>
          <Form.Item name="title" label={t('training.title')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="dates" label={t('training.dates')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="venue" label={t('training.venue')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="hoursPerDay" label={t('training.hoursPerDay')}>
              <InputNumber min={0.5} max={12} step={0.5} />
            </Form.Item>
            <Form.Item name="capacity" label={t('training.capacity')}>
              <InputNumber min={1} max={1000} />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('training.create')}
          </Button>
        </Form>
      </Card>
      <ErrorAlert error={classes.error} />
      <List
        loading={classes.isLoading}
        dataSource={classes.data?.items ?? []}
        renderItem={(k) => (
          <List.Item key={k.id} className="training-card-item">
            <Card size="small" className="training-card">
              <div className="training-card-title">{k.title}</div>
              <div className="muted small">
                {formatDate(k.startsOn, locale)} – {formatDate(k.endsOn, locale)} · {k.venue} ·{' '}
                {t('training.seats', { n: k.enrolledCount, max: k.capacity })}
              </div>
              <Button
                size="small"
                style={{ marginTop: 8 }}
                onClick={() => setOpen(open === k.id ? null : k.id)}
              >
                {t('training.attendance')}
              </Button>
              {open === k.id ? <ClassDetailView id={k.id} /> : null}
            </Card>
          </List.Item>
        )}
      />
    </div>
  );
}

function ClassDetailView({ id }: { id: string }) {
  const t = useT();
  const d = useClassDetail(id);
  if (d.error) return <ErrorAlert error={d.error} />;
  if (!d.data) return null;
  return (
    <div style={{ marginTop: 12 }}>
      <p className="muted small">{t('training.qrHelp')}</p>
      <img
        src={`/api/v1/training/classes/${encodeURIComponent(id)}/qr.svg`}
        alt={t('training.qrAlt')}
        width={200}
        height={200}
      />
      <Table
        size="small"
        rowKey="workerId"
        pagination={false}
        scroll={{ x: true }}
        dataSource={d.data.trainees}
        columns={[
          { title: t('training.trainee'), dataIndex: 'name' },
          { title: t('training.daysAttended'), render: (_, r) => r.days.join(t('common.listSep')) || '—' },
          { title: t('training.hoursCol'), render: (_, r) => Math.round((r.minutes / 60) * 10) / 10 },
        ]}
      />
    </div>
  );
}
