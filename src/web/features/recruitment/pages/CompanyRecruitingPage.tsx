import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { joinList, type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { Salary, StateTag, useLabels } from '../components';
import {
  useAct,
  useAddNote,
  useApplication,
  useBoard,
  useClosePost,
  useCompanyPosts,
  useFairs,
  useJoinFair,
  usePublishPost,
  useScheduleInterview,
} from '../recruitment.api';
import {
  type ApplicationState,
  type Benefit,
  benefitCodes,
  boardStates,
  type PostMode,
  postModes,
} from '../recruitment.types';
import '../recruitment.css';

function useCompanyId() {
  const me = useMe().data;
  return me?.memberships.find((m) => m.orgType === 'company')?.orgId;
}

/** /company/recruiting: posts, the screening board (one column per state, buttons per step), fairs. */
export default function CompanyRecruitingSection() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path="applications/:id" element={<ApplicationPage />} />
    </Routes>
  );
}

function Home() {
  const t = useT();
  useDocumentTitle(t('sec.company.recruiting'));
  return (
    <div className="recruitment-page">
      <h1>{t('sec.company.recruiting')}</h1>
      <Tabs
        items={[
          { key: 'board', label: t('recruitment.tab.board'), children: <Board /> },
          { key: 'posts', label: t('recruitment.tab.posts'), children: <Posts /> },
          { key: 'new', label: t('recruitment.tab.newPost'), children: <NewPostForm /> },
          { key: 'fairs', label: t('recruitment.tab.fairs'), children: <CompanyFairs /> },
        ]}
      />
    </div>
  );
}

function Board() {
  const t = useT();
  const orgId = useCompanyId();
  const posts = useCompanyPosts(orgId);
  const [postId, setPostId] = useState('');
  const board = useBoard(orgId, '', postId);
  if (board.isPending) return <PageLoader />;
  if (board.error) return <ErrorAlert error={board.error} />;
  const byState = (s: ApplicationState) => board.data.items.filter((a) => a.state === s);
  return (
    <>
      <Form layout="inline">
        <Form.Item label={t('recruitment.field.post')}>
          <Select
            style={{ minWidth: 240 }}
            aria-label={t('recruitment.field.post')}
            allowClear
            value={postId || undefined}
            onChange={(v) => setPostId(v ?? '')}
            options={(posts.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        </Form.Item>
      </Form>
      <div className="recruitment-board">
        {boardStates.map((s) => (
          <Card
            key={s}
            size="small"
            title={`${t(`recruitment.state.${s}` as MessageKey)} (${byState(s).length})`}
          >
            {byState(s).map((a) => (
              <div key={a.id} className="recruitment-card">
                <Link to={`/company/recruiting/applications/${a.id}`}>{a.worker.name}</Link>
                <div className="recruitment-meta">{a.post.title}</div>
              </div>
            ))}
          </Card>
        ))}
      </div>
    </>
  );
}

function ApplicationPage() {
  const { id = '' } = useParams();
  const t = useT();
  const l = useLabels();
  const { locale } = useLocale();
  const a = useApplication(id);
  const act = useAct();
  const note = useAddNote();
  const interview = useScheduleInterview();
  const [reason, setReason] = useState('');
  const [noteText, setNoteText] = useState('');
  const [when, setWhen] = useState<Dayjs | null>(dayjs().add(1, 'day').hour(10).minute(0));
  useDocumentTitle(t('recruitment.application'));
  if (a.isPending) return <PageLoader />;
  if (a.error) return <ErrorAlert error={a.error} />;
  const app = a.data;
  const w = app.worker;
  return (
    <div className="recruitment-page recruitment-phone">
      <Link to="/company/recruiting">← {t('recruitment.back')}</Link>
      <h1>
        {w.name} <StateTag state={app.state} />
      </h1>
      <p className="recruitment-meta">
        {app.post.title} · {t('recruitment.applicant', { age: w.age ?? '—', years: w.yearsExperience ?? 0 })}{' '}
        · {l.level(w.skillLevel)} · {joinList(locale, w.categories.map(l.category))}
      </p>
      {app.coverNote && <Card size="small">{app.coverNote}</Card>}
      <p>
        <Link to={`/company/worker-files/${w.id}`}>{t('recruitment.efile.view')}</Link>
        {app.interviewId && (
          <>
            {' · '}
            <Link to={`/company/messages/interviews/${app.interviewId}`}>
              {t('recruitment.interview.open')}
            </Link>
          </>
        )}
      </p>
      {(act.error || interview.error || note.error) && (
        <ErrorAlert error={act.error ?? interview.error ?? note.error} />
      )}
      <div className="recruitment-actions">
        {app.actions.includes('shortlist') && (
          <Button onClick={() => act.mutate({ id: app.id, action: 'shortlist' })} loading={act.isPending}>
            {t('recruitment.action.shortlist')}
          </Button>
        )}
        {app.actions.includes('offer') && (
          <Button
            type="primary"
            onClick={() => act.mutate({ id: app.id, action: 'offer' })}
            loading={act.isPending}
          >
            {t('recruitment.action.offer')}
          </Button>
        )}
      </div>
      {(app.actions.includes('interview') || app.state === 'interview') && (
        <Form layout="vertical">
          <Form.Item label={t('recruitment.interview.when')}>
            <DatePicker showTime value={when} onChange={setWhen} style={{ width: '100%' }} />
          </Form.Item>
          <Button
            loading={interview.isPending}
            disabled={!when}
            onClick={() =>
              when && interview.mutate({ id: app.id, scheduledAt: when.toISOString(), durationMinutes: 30 })
            }
          >
            {t('recruitment.interview.schedule')}
          </Button>
        </Form>
      )}
      {app.actions.includes('reject') && (
        <Form layout="vertical">
          <Form.Item label={t('recruitment.field.reason')}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} />
          </Form.Item>
          <Button
            danger
            onClick={() => act.mutate({ id: app.id, action: 'reject', reason })}
            loading={act.isPending}
          >
            {t('recruitment.action.reject')}
          </Button>
        </Form>
      )}
      <h2>{t('recruitment.history')}</h2>
      <List
        dataSource={app.history}
        renderItem={(h) => (
          <List.Item>
            {formatDate(h.at, locale)} · {t(`recruitment.action.${h.action}` as MessageKey)}
            {h.note ? ` · ${h.note}` : ''}
          </List.Item>
        )}
      />
      <Form layout="vertical">
        <Form.Item label={t('recruitment.note')}>
          <Input.TextArea
            rows={2}
            value={noteText}
            onChange={(e) => setNoteText(e.target.value)}
            maxLength={500}
          />
        </Form.Item>
        <Button
          disabled={!noteText.trim()}
          loading={note.isPending}
          onClick={() => note.mutate({ id: app.id, note: noteText }, { onSuccess: () => setNoteText('') })}
        >
          {t('recruitment.note.add')}
        </Button>
      </Form>
    </div>
  );
}

function Posts() {
  const t = useT();
  const l = useLabels();
  const orgId = useCompanyId();
  const posts = useCompanyPosts(orgId);
  const close = useClosePost();
  if (posts.isPending) return <PageLoader />;
  if (posts.error) return <ErrorAlert error={posts.error} />;
  return (
    <Table
      rowKey="id"
      size="small"
      scroll={{ x: true }}
      dataSource={posts.data.items}
      pagination={false}
      locale={{ emptyText: <Empty description={t('recruitment.posts.none')} /> }}
      columns={[
        { title: t('recruitment.field.title'), dataIndex: 'title' },
        { title: t('recruitment.field.category'), render: (_, p) => l.category(p.category) },
        { title: t('recruitment.field.salary'), render: (_, p) => <Salary post={p} /> },
        { title: t('recruitment.field.applications'), render: (_, p) => `${p.applications} / ${p.hired}` },
        { title: t('recruitment.field.closesOn'), dataIndex: 'closesOn' },
        {
          title: t('recruitment.field.state'),
          render: (_, p) =>
            p.open ? (
              <Button
                size="small"
                onClick={() => close.mutate(p.id)}
                aria-label={t('recruitment.post.closeNamed', { title: p.title })}
              >
                {t('recruitment.post.close')}
              </Button>
            ) : (
              <Tag>{t('recruitment.closed')}</Tag>
            ),
        },
      ]}
    />
  );
}

interface PostForm {
  title: string;
  category: string;
  mode: PostMode;
  district: string;
  location: string;
  salaryMinYuan: number;
  salaryMaxYuan: number;
  minLevel?: string;
  certificateRequired: boolean;
  minExperienceYears: number;
  minAge: number;
  maxAge: number;
  benefits: Benefit[];
  description: string;
  headcount: number;
  closesOn: Dayjs;
  fairId?: string;
}

function NewPostForm() {
  const t = useT();
  const l = useLabels();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const orgId = useCompanyId();
  const publish = usePublishPost(orgId);
  const fairs = useFairs();
  const [form] = Form.useForm<PostForm>();
  const [error, setError] = useState<unknown>(null);
  const required = [{ required: true, message: t('recruitment.required') }];
  return (
    <Form<PostForm>
      form={form}
      layout="vertical"
      style={{ maxWidth: 560 }}
      initialValues={{
        mode: 'live_in',
        district: '440106',
        certificateRequired: false,
        minExperienceYears: 0,
        minAge: 18,
        maxAge: 55,
        benefits: [],
        headcount: 1,
        closesOn: dayjs().add(30, 'day'),
      }}
      onFinish={(v) => {
        setError(null);
        publish.mutate(
          {
            title: v.title,
            category: v.category,
            mode: v.mode,
            district: v.district,
            location: v.location,
            salaryMinFen: Math.round(v.salaryMinYuan * 100),
            salaryMaxFen: Math.round(v.salaryMaxYuan * 100),
            minLevel: v.minLevel ?? null,
            certificateRequired: v.certificateRequired,
            minExperienceYears: v.minExperienceYears,
            minAge: v.minAge,
            maxAge: v.maxAge,
            benefits: v.benefits,
            description: v.description,
            headcount: v.headcount,
            closesOn: v.closesOn.format('YYYY-MM-DD'),
            fairId: v.fairId ?? null,
          },
          {
            onSuccess: () => {
              message.success(t('recruitment.post.published'));
              form.resetFields();
            },
            onError: (e) => {
              if (!applyFieldErrors(form, e, locale)) setError(e);
            },
          },
        );
      }}
    >
      <Form.Item name="title" label={t('recruitment.field.title')} rules={required}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="category" label={t('recruitment.field.category')} rules={required}>
        <Select options={l.categoryOptions} />
      </Form.Item>
      <Form.Item name="mode" label={t('recruitment.field.mode')} rules={required}>
        <Select
          options={postModes.map((m) => ({ value: m, label: t(`recruitment.mode.${m}` as MessageKey) }))}
        />
      </Form.Item>
      <Form.Item name="district" label={t('recruitment.field.district')} rules={required}>
        <Select options={l.districtOptions} />
      </Form.Item>
      <Form.Item name="location" label={t('recruitment.field.location')} rules={required}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="salaryMinYuan"
        label={t('recruitment.field.salaryMin')}
        rules={required}
        extra={t('recruitment.salary.unitHelp')}
      >
        <InputNumber min={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="salaryMaxYuan" label={t('recruitment.field.salaryMax')} rules={required}>
        <InputNumber min={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="minLevel" label={t('recruitment.field.minLevel')}>
        <Select allowClear options={l.levelOptions} />
      </Form.Item>
      <Form.Item
        name="certificateRequired"
        label={t('recruitment.certificateRequired')}
        valuePropName="checked"
      >
        <Switch />
      </Form.Item>
      <Form.Item name="minExperienceYears" label={t('recruitment.field.experience')}>
        <InputNumber min={0} max={40} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="minAge"
        label={t('recruitment.field.minAge')}
        rules={required}
        extra={t('recruitment.age.help')}
      >
        <InputNumber min={0} max={100} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="maxAge" label={t('recruitment.field.maxAge')} rules={required}>
        <InputNumber min={0} max={100} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="benefits" label={t('recruitment.field.benefits')}>
        <Select
          mode="multiple"
          options={benefitCodes.map((b) => ({
            value: b,
            label: t(`recruitment.benefit.${b}` as MessageKey),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('recruitment.field.description')}
        rules={required}
        extra={t('recruitment.description.help')}
      >
        <Input.TextArea rows={4} maxLength={2000} />
      </Form.Item>
      <Form.Item name="headcount" label={t('recruitment.field.headcount')} rules={required}>
        <InputNumber min={1} max={500} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="closesOn" label={t('recruitment.field.closesOn')} rules={required}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="fairId" label={t('recruitment.field.fair')}>
        <Select
          allowClear
          options={(fairs.data?.items ?? [])
            .filter((f) => f.phase !== 'ended')
            .map((f) => ({ value: f.id, label: f.title }))}
        />
      </Form.Item>
      {error ? <ErrorAlert error={error} /> : null}
      <Button type="primary" htmlType="submit" loading={publish.isPending}>
        {t('recruitment.post.publish')}
      </Button>
    </Form>
  );
}

function CompanyFairs() {
  const t = useT();
  const { locale } = useLocale();
  const orgId = useCompanyId();
  const fairs = useFairs();
  const join = useJoinFair(orgId);
  if (fairs.isPending) return <PageLoader />;
  if (fairs.error) return <ErrorAlert error={fairs.error} />;
  return (
    <>
      {join.error && <ErrorAlert error={join.error} />}
      <List
        locale={{ emptyText: t('recruitment.fairs.none') }}
        dataSource={fairs.data.items}
        renderItem={(f) => (
          <List.Item
            actions={
              f.phase === 'ended'
                ? []
                : [
                    <Button
                      key="join"
                      onClick={() => join.mutate(f.id)}
                      aria-label={t('recruitment.fair.joinNamed', { title: f.title })}
                    >
                      {t('recruitment.fair.join')}
                    </Button>,
                  ]
            }
          >
            <List.Item.Meta
              title={f.title}
              description={`${formatDate(f.startsAt, locale)} · ${f.venue ?? t('recruitment.fair.online')} · ${t('recruitment.fair.companies', { n: f.companies })}`}
            />
          </List.Item>
        )}
      />
    </>
  );
}
