import '../training.css';
import { Button, Card, Form, Input, InputNumber, List, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  useAddLesson,
  useAddLessonFile,
  useCourse,
  useCourseAction,
  useCourses,
  useCreateCourse,
} from '../training.api';

const CATEGORIES = [
  'maternal_infant',
  'housework',
  'family_care',
  'cleaning',
  'maternity',
  'infant_care',
  'elder_care',
  'cooking',
  'patient_care',
];
const KINDS = ['pre_job', 'skill', 'refresher'] as const;

/** /training/courses: my institution's courses, lessons (rich text), publish/archive. */
export default function TrainingCoursesPage() {
  const t = useT();
  useDocumentTitle(t('sec.training.courses'));
  const courses = useCourses();
  const create = useCreateCourse();
  const action = useCourseAction();
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm();
  return (
    <div className="console-page training-page">
      <h1>{t('sec.training.courses')}</h1>
      <Card size="small" title={t('training.newCourse')} className="training-card">
        <ErrorAlert error={create.error} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'skill', category: 'housework', hours: 8 }}
          onFinish={(v) =>
            create.mutate(
              {
                title: v.title,
                category: v.category,
                kind: v.kind,
                requiredMinutes: Math.round(v.hours * 60),
                description: v.description || null,
              },
              { onSuccess: () => form.resetFields() },
            )
          }
        >
          <Form.Item name="title" label={t('training.title')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="category" label={t('training.category')}>
              <Select
                style={{ width: 160 }}
                options={CATEGORIES.map((c) => ({ value: c, label: t(`training.cat.${c}` as MessageKey) }))}
              />
            </Form.Item>
            <Form.Item name="kind" label={t('training.kindLabel')}>
              <Select
                style={{ width: 120 }}
                options={KINDS.map((k) => ({ value: k, label: t(`training.kind.${k}` as MessageKey) }))}
              />
            </Form.Item>
            <Form.Item name="hours" label={t('training.requiredHours')}>
              <InputNumber min={0} max={1000} step={0.5} />
            </Form.Item>
          </Space>
          <Form.Item name="description" label={t('training.description')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('training.create')}
          </Button>
        </Form>
      </Card>
      <ErrorAlert error={courses.error ?? action.error} />
      <List
        loading={courses.isLoading}
        dataSource={courses.data?.items ?? []}
        renderItem={(c) => (
          <List.Item key={c.id} className="training-card-item">
            <Card size="small" className="training-card">
              <div className="training-card-title">
                {c.title} <Tag>{t(`training.kind.${c.kind}` as MessageKey)}</Tag>{' '}
                <Tag color={c.state === 'published' ? 'green' : undefined}>
                  {t(`training.courseState.${c.state}` as MessageKey)}
                </Tag>
              </div>
              <div className="muted small">
                {c.categoryLabel} · {t('training.lessonCount', { n: c.lessonCount })} ·{' '}
                {t('training.requiredHoursN', { h: Math.round((c.requiredMinutes / 60) * 10) / 10 })}
              </div>
              <Space wrap style={{ marginTop: 8 }}>
                {c.state === 'draft' ? (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => action.mutate({ id: c.id, action: 'publish' })}
                  >
                    {t('training.publish')}
                  </Button>
                ) : null}
                {c.state !== 'archived' ? (
                  <Button size="small" onClick={() => action.mutate({ id: c.id, action: 'archive' })}>
                    {t('training.archive')}
                  </Button>
                ) : null}
                <Button size="small" onClick={() => setOpen(open === c.id ? null : c.id)}>
                  {t('training.lessons')}
                </Button>
              </Space>
              {open === c.id ? <Lessons courseId={c.id} /> : null}
            </Card>
          </List.Item>
        )}
      />
    </div>
  );
}

function Lessons({ courseId }: { courseId: string }) {
  const t = useT();
  const course = useCourse(courseId);
  const add = useAddLesson(courseId);
  const addFile = useAddLessonFile(courseId);
  const [kind, setKind] = useState<'text' | 'video_url' | 'file'>('text');
  const [file, setFile] = useState<File | null>(null);
  const [form] = Form.useForm();
  const done = () => {
    form.resetFields();
    setFile(null);
  };
  return (
    <div style={{ marginTop: 12 }}>
      <List
        size="small"
        dataSource={course.data?.lessons ?? []}
        renderItem={(l) => (
          <List.Item>
            {l.position}. {l.title} · {t(`training.lessonKind.${l.kind}` as MessageKey)} ·{' '}
            {t('training.minutes', { n: l.minutes })}
          </List.Item>
        )}
      />
      <ErrorAlert error={add.error ?? addFile.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ minutes: 30 }}
        onFinish={(v) => {
          if (kind === 'file') {
            if (file) addFile.mutate({ file, title: v.title, minutes: v.minutes }, { onSuccess: done });
          } else if (kind === 'video_url')
            add.mutate({ kind, title: v.title, url: v.url, minutes: v.minutes }, { onSuccess: done });
          else
            add.mutate(
              { kind, title: v.title, bodyHtml: v.bodyHtml, minutes: v.minutes },
              { onSuccess: done },
            );
        }}
      >
        <Form.Item label={t('training.lessonType')}>
          <Select
            value={kind}
            onChange={setKind}
            options={[
              { value: 'text', label: t('training.lessonKind.text') },
              { value: 'video_url', label: t('training.lessonKind.video_url') },
              { value: 'file', label: t('training.lessonFile') },
            ]}
          />
        </Form.Item>
        <Form.Item name="title" label={t('training.lessonTitle')} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        {kind === 'text' ? (
          <Form.Item
            name="bodyHtml"
            label={t('training.lessonBody')}
            rules={[{ required: true }]}
            extra={t('training.lessonBodyHelp')}
          >
            <Input.TextArea rows={4} />
          </Form.Item>
        ) : null}
        {kind === 'video_url' ? (
          <Form.Item name="url" label={t('training.videoUrl')} rules={[{ required: true, type: 'url' }]}>
            <Input placeholder="https://" />
          </Form.Item>
        ) : null}
        {kind === 'file' ? (
          <Form.Item label={t('training.lessonFile')} extra={t('training.lessonFileHelp')} required>
            <input
              type="file"
              accept="application/pdf,video/mp4,video/webm"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="minutes" label={t('training.lessonMinutes')}>
          <InputNumber min={1} max={1440} />
        </Form.Item>
        <Button
          htmlType="submit"
          loading={add.isPending || addFile.isPending}
          disabled={kind === 'file' && !file}
        >
          {t('training.addLesson')}
        </Button>
      </Form>
    </div>
  );
}
