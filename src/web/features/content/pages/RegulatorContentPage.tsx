import {
  BoldOutlined,
  FontSizeOutlined,
  DeleteOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PaperClipOutlined,
  PlusOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, List, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  useEditorItem,
  useEditorList,
  useRemoveAttachment,
  useSaveItem,
  useTransition,
  useUploadAttachment,
} from '../content.api';
import {
  type ContentAction,
  type ContentCategory,
  type ContentState,
  contentCategories,
  contentStates,
  type EditorItem,
} from '../content.types';
import { formatDateTime } from '../datetime';
import '../content.css';

const categoryKey: Record<ContentCategory, MessageKey> = {
  news: 'content.cat.news',
  policy: 'content.cat.policy',
  notice: 'content.cat.notice',
  standard: 'content.cat.standard',
};
const stateKey: Record<ContentState, MessageKey> = {
  draft: 'content.state.draft',
  scheduled: 'content.state.scheduled',
  published: 'content.state.published',
  unpublished: 'content.state.unpublished',
  archived: 'content.state.archived',
};
const stateColor: Record<ContentState, string> = {
  draft: 'default',
  scheduled: 'blue',
  published: 'green',
  unpublished: 'orange',
  archived: 'purple',
};
const actionKey: Record<ContentAction, MessageKey> = {
  publish: 'content.action.publish',
  schedule: 'content.action.schedule',
  unschedule: 'content.action.unschedule',
  unpublish: 'content.action.unpublish',
  archive: 'content.action.archive',
};

interface FormValues {
  category: ContentCategory;
  title: string;
  summary: string;
  authorOrg: string;
  slug: string;
  eventAt: Dayjs | null;
}

/** A small rich-text field: a toolbar over a contenteditable region. The server sanitizes whatever it sends. */
function BodyEditor({
  initial,
  editorRef,
  disabled,
}: {
  initial: string;
  editorRef: React.RefObject<HTMLDivElement>;
  disabled: boolean;
}) {
  const t = useT();
  useEffect(() => {
    // The initial HTML is the server's sanitized copy (sanitize.ts allow-list), never unsanitized input.
    if (editorRef.current) editorRef.current.innerHTML = initial;
  }, [initial, editorRef]);
  const exec = (command: string, value?: string) => {
    editorRef.current?.focus();
    // execCommand is deprecated but still the one editing API every browser ships; the output is sanitized anyway.
    document.execCommand(command, false, value);
  };
  const tools: { key: string; label: MessageKey; icon: React.ReactNode; run: () => void }[] = [
    {
      key: 'h2',
      label: 'content.tool.heading',
      icon: <FontSizeOutlined />,
      run: () => exec('formatBlock', 'h2'),
    },
    {
      key: 'p',
      label: 'content.tool.paragraph',
      icon: <span aria-hidden>{'¶'}</span>,
      run: () => exec('formatBlock', 'p'),
    },
    { key: 'b', label: 'content.tool.bold', icon: <BoldOutlined />, run: () => exec('bold') },
    { key: 'i', label: 'content.tool.italic', icon: <ItalicOutlined />, run: () => exec('italic') },
    {
      key: 'ul',
      label: 'content.tool.bullets',
      icon: <UnorderedListOutlined />,
      run: () => exec('insertUnorderedList'),
    },
    {
      key: 'ol',
      label: 'content.tool.numbers',
      icon: <OrderedListOutlined />,
      run: () => exec('insertOrderedList'),
    },
    {
      key: 'a',
      label: 'content.tool.link',
      icon: <LinkOutlined />,
      run: () => {
        const url = window.prompt(t('content.tool.linkPrompt'), 'https://');
        if (url && /^https?:\/\//.test(url)) exec('createLink', url);
      },
    },
  ];
  return (
    <div className="content-editor">
      <div className="content-toolbar" role="toolbar" aria-label={t('content.tool.bar')}>
        {tools.map((tool) => (
          <Button
            key={tool.key}
            icon={tool.icon}
            aria-label={t(tool.label)}
            title={t(tool.label)}
            disabled={disabled}
            onMouseDown={(e) => e.preventDefault()}
            onClick={tool.run}
          />
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: rich text needs contenteditable; a <textarea> holds plain text only */}
      <div
        id="content-body"
        ref={editorRef}
        className="content-body-input article-body"
        contentEditable={!disabled}
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        aria-labelledby="content-body-label"
        tabIndex={0}
        data-testid="content-body"
      />
    </div>
  );
}

function Editor({ id, onSaved }: { id: string | null; onSaved: (item: EditorItem) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const item = useEditorItem(id);
  const save = useSaveItem();
  const step = useTransition();
  const upload = useUploadAttachment();
  const remove = useRemoveAttachment();
  const [form] = Form.useForm<FormValues>();
  const bodyRef = useRef<HTMLDivElement>(null);
  const [cleaned, setCleaned] = useState(false);
  const [publishAt, setPublishAt] = useState<Dayjs | null>(null);
  const data = item.data;
  const readOnly = data?.state === 'archived';

  useEffect(() => {
    setCleaned(false);
    if (data)
      form.setFieldsValue({
        category: data.category,
        title: data.title,
        summary: data.summary,
        authorOrg: data.authorOrg,
        slug: data.slug,
        eventAt: data.eventAt ? dayjs(data.eventAt) : null,
      });
    else if (!id)
      form.setFieldsValue({
        category: 'news',
        title: '',
        summary: '',
        authorOrg: t('content.defaultAuthor'),
        slug: '',
        eventAt: null,
      });
  }, [data, id, form, t]);

  if (id && item.isPending) return <PageLoader />;
  if (id && item.isError) return <ErrorAlert error={item.error} />;

  const submit = (v: FormValues) => {
    const input = {
      category: v.category,
      title: v.title,
      summary: v.summary ?? '',
      authorOrg: v.authorOrg,
      bodyHtml: bodyRef.current?.innerHTML ?? '',
      eventAt: v.eventAt ? v.eventAt.toISOString() : null,
      ...(v.slug && !data?.slugLocked ? { slug: v.slug } : {}),
    };
    save.mutate(
      { id, input },
      {
        onSuccess: (saved) => {
          setCleaned(saved.bodyCleaned);
          if (bodyRef.current) bodyRef.current.innerHTML = saved.bodyHtml;
          onSaved(saved);
        },
      },
    );
  };

  return (
    <section className="content-edit" aria-labelledby="content-edit-title">
      <h2 id="content-edit-title">
        {data ? t('content.edit.title') : t('content.edit.new')}{' '}
        {data && <Tag color={stateColor[data.state]}>{t(stateKey[data.state])}</Tag>}
      </h2>
      {data && (
        <p className="muted small">
          {data.publishedAt && t('content.edit.publishedAt', { date: formatDate(data.publishedAt, locale) })}{' '}
          {data.scheduledAt && (
            <span data-testid="content-scheduled-at">
              {t('content.edit.scheduledAt', { time: formatDateTime(data.scheduledAt, locale) })}
            </span>
          )}{' '}
          {data.publicUrl && (
            <Link to={data.publicUrl} target="_blank" rel="noopener">
              {t('content.edit.view')}
            </Link>
          )}
        </p>
      )}
      {cleaned && (
        <Alert type="warning" showIcon message={t('content.edit.cleaned')} data-testid="content-cleaned" />
      )}
      <ErrorAlert error={save.error ?? step.error ?? upload.error ?? remove.error} />
      <Form form={form} layout="vertical" onFinish={submit} disabled={readOnly} name="content">
        <Form.Item name="category" label={t('content.field.category')} rules={[{ required: true }]}>
          <Select options={contentCategories.map((c) => ({ value: c, label: t(categoryKey[c]) }))} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('content.field.title')}
          rules={[{ required: true, whitespace: true, max: 120 }]}
        >
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="summary" label={t('content.field.summary')} extra={t('content.field.summaryHelp')}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
        <Form.Item
          name="authorOrg"
          label={t('content.field.authorOrg')}
          rules={[{ required: true, whitespace: true, max: 60 }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="slug"
          label={t('content.field.slug')}
          extra={data?.slugLocked ? t('content.field.slugLocked') : t('content.field.slugHelp')}
          rules={[{ pattern: /^[a-z0-9][a-z0-9-]{1,79}$/, message: t('content.field.slugInvalid') }]}
        >
          <Input maxLength={80} disabled={readOnly || data?.slugLocked} />
        </Form.Item>
        <Form.Item name="eventAt" label={t('content.field.eventAt')} extra={t('content.field.eventAtHelp')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} />
        </Form.Item>
        <div className="ant-form-item">
          <span id="content-body-label" className="content-label">
            {t('content.field.body')}
          </span>
          <BodyEditor initial={data?.bodyHtml ?? ''} editorRef={bodyRef} disabled={readOnly} />
          <p className="muted small">{t('content.field.bodyHelp')}</p>
        </div>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {data ? t('content.edit.save') : t('content.edit.create')}
          </Button>
          {data?.actions
            .filter((a) => a !== 'schedule')
            .map((a) => (
              <Button
                key={a}
                danger={a !== 'publish'}
                loading={step.isPending && step.variables?.action === a}
                onClick={() => step.mutate({ id: data.id, action: a })}
                data-testid={`content-${a}`}
              >
                {t(actionKey[a])}
              </Button>
            ))}
        </Space>
        {data?.actions.includes('schedule') && (
          <fieldset className="content-schedule">
            <legend>{t('content.schedule.title')}</legend>
            <Space wrap>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                aria-label={t('content.schedule.at')}
                placeholder={t('content.schedule.at')}
                value={publishAt}
                onChange={setPublishAt}
                disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(1, 'year'), 'day')}
              />
              <Button
                disabled={!publishAt}
                loading={step.isPending && step.variables?.action === 'schedule'}
                onClick={() =>
                  publishAt &&
                  step.mutate(
                    { id: data.id, action: 'schedule', publishAt: publishAt.toISOString() },
                    { onSuccess: () => setPublishAt(null) },
                  )
                }
                data-testid="content-schedule"
              >
                {t('content.action.schedule')}
              </Button>
            </Space>
            <p className="muted small">{t('content.schedule.help')}</p>
          </fieldset>
        )}
      </Form>

      {data && (
        <section className="content-files" aria-labelledby="content-files-title">
          <h3 id="content-files-title">{t('content.files.title')}</h3>
          <p className="muted small">{t('content.files.help')}</p>
          <List
            dataSource={data.attachments}
            locale={{ emptyText: t('content.files.none') }}
            renderItem={(f) => (
              <List.Item
                actions={[
                  f.mime.startsWith('image/') && data.coverAttachmentId !== f.id && !readOnly ? (
                    <Button
                      key="cover"
                      size="small"
                      onClick={() => save.mutate({ id: data.id, input: { coverAttachmentId: f.id } })}
                    >
                      {t('content.files.setCover')}
                    </Button>
                  ) : null,
                  !readOnly ? (
                    <Button
                      key="rm"
                      size="small"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t('content.files.remove', { name: f.fileName })}
                      onClick={() => remove.mutate({ id: data.id, attachmentId: f.id })}
                    />
                  ) : null,
                ].filter(Boolean)}
              >
                <a href={f.url} download={f.fileName}>
                  <PaperClipOutlined aria-hidden /> {f.fileName}
                </a>
                {data.coverAttachmentId === f.id && <Tag color="blue">{t('content.files.cover')}</Tag>}
              </List.Item>
            )}
          />
          {!readOnly && (
            <label className="ant-btn ant-btn-default content-upload">
              <PlusOutlined aria-hidden /> {t('content.files.add')}
              <input
                type="file"
                className="sr-only"
                accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) upload.mutate({ id: data.id, file });
                }}
              />
            </label>
          )}
        </section>
      )}
    </section>
  );
}

/** /regulator/content: write, publish, withdraw and archive news, policies, notices and standards. */
export default function RegulatorContentPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.regulator.content'));
  const [params, setParams] = useSearchParams();
  const selected = params.get('item');
  const [state, setState] = useState<ContentState | undefined>();
  const [category, setCategory] = useState<ContentCategory | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const list = useEditorList({ state, category, q });
  const open = (id: string | null) => setParams(id ? { item: id } : {});

  return (
    <div className="console-page content-page">
      <h1>{t('content.title')}</h1>
      <p className="muted small">{t('content.intro')}</p>
      <div className="content-layout">
        <section className="content-list" aria-labelledby="content-list-title">
          <h2 id="content-list-title" className="sr-only">
            {t('content.list.title')}
          </h2>
          <Space wrap className="content-filters">
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => open('new')}>
              {t('content.list.new')}
            </Button>
            <Select
              allowClear
              aria-label={t('content.list.state')}
              placeholder={t('content.list.state')}
              style={{ minWidth: 120 }}
              value={state}
              onChange={setState}
              options={contentStates.map((s) => ({ value: s, label: t(stateKey[s]) }))}
            />
            <Select
              allowClear
              aria-label={t('content.field.category')}
              placeholder={t('content.field.category')}
              style={{ minWidth: 120 }}
              value={category}
              onChange={setCategory}
              options={contentCategories.map((c) => ({ value: c, label: t(categoryKey[c]) }))}
            />
            <Input.Search
              allowClear
              aria-label={t('content.list.search')}
              placeholder={t('content.list.search')}
              onSearch={(v) => setQ(v.trim() || undefined)}
            />
          </Space>
          {list.isPending ? (
            <PageLoader />
          ) : list.isError ? (
            <ErrorAlert error={list.error} />
          ) : (
            <List
              dataSource={list.data.items}
              locale={{ emptyText: t('content.list.none') }}
              renderItem={(i) => (
                <List.Item className={i.id === selected ? 'content-selected' : undefined}>
                  <button
                    type="button"
                    className="content-row"
                    onClick={() => open(i.id)}
                    data-testid="content-row"
                  >
                    <span className="content-row-title">{i.title}</span>
                    <span className="muted small">
                      <Tag color={stateColor[i.state]}>{t(stateKey[i.state])}</Tag>
                      {t(categoryKey[i.category])} {'·'} {formatDate(i.updatedAt, locale)}
                    </span>
                  </button>
                </List.Item>
              )}
            />
          )}
        </section>
        {selected ? (
          <Editor
            key={selected}
            id={selected === 'new' ? null : selected}
            onSaved={(item) => open(item.id)}
          />
        ) : (
          <p className="content-empty muted">{t('content.edit.pick')}</p>
        )}
      </div>
    </div>
  );
}
