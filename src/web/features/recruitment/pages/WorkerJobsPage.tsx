import { App, Button, Card, Empty, Form, Input, InputNumber, List, Select, Switch, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { PostCard, Salary, StateTag, useLabels } from '../components';
import {
  type PostQuery,
  useAct,
  useApplication,
  useApply,
  useCheckIn,
  useContactConsent,
  useDeleteSavedSearch,
  useFair,
  useFairs,
  useMyApplications,
  usePost,
  useRecommendations,
  useRegisterForFair,
  useSaveSearch,
  useSavedSearches,
  useSearchPosts,
  useSetContactConsent,
} from '../recruitment.api';
import { type PostMode, postModes } from '../recruitment.types';
import '../recruitment.css';
import { formatAmount } from '../../../shared/money';

/** /worker/jobs (phone-first): recommendations and search, saved searches, my applications, job fairs. */
export default function WorkerJobsSection() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path="posts/:id" element={<PostPage />} />
      <Route path="applications/:id" element={<ApplicationPage />} />
      <Route path="fairs/:id" element={<FairPage />} />
    </Routes>
  );
}

function Home() {
  const t = useT();
  useDocumentTitle(t('sec.worker.jobs'));
  return (
    <div className="recruitment-page recruitment-phone">
      <h1>{t('sec.worker.jobs')}</h1>
      <Tabs
        items={[
          { key: 'find', label: t('recruitment.tab.find'), children: <Find /> },
          { key: 'mine', label: t('recruitment.tab.mine'), children: <MyApplications /> },
          { key: 'saved', label: t('recruitment.tab.saved'), children: <Saved /> },
          { key: 'fairs', label: t('recruitment.tab.fairs'), children: <Fairs /> },
        ]}
      />
    </div>
  );
}

function Find() {
  const t = useT();
  const l = useLabels();
  const [q, setQ] = useState<PostQuery>({});
  const rec = useRecommendations();
  const search = useSearchPosts(q);
  return (
    <>
      <h2>{t('recruitment.recommended')}</h2>
      {rec.isPending ? (
        <PageLoader />
      ) : rec.error ? (
        <ErrorAlert error={rec.error} />
      ) : rec.data.items.length ? (
        rec.data.items
          .slice(0, 5)
          .map((p) => <PostCard key={p.id} post={p} to={`/worker/jobs/posts/${p.id}`} />)
      ) : (
        <Empty description={t('recruitment.recommended.none')} />
      )}
      <h2>{t('recruitment.search')}</h2>
      <Form layout="vertical" onValuesChange={(_, all) => setQ(all as PostQuery)}>
        <Form.Item name="keyword" label={t('recruitment.field.keyword')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="category" label={t('recruitment.field.category')}>
          <Select allowClear options={l.categoryOptions} />
        </Form.Item>
        <Form.Item name="mode" label={t('recruitment.field.mode')}>
          <Select
            allowClear
            options={postModes.map((m) => ({ value: m, label: t(`recruitment.mode.${m}` as MessageKey) }))}
          />
        </Form.Item>
        <Form.Item name="district" label={t('recruitment.field.district')}>
          <Select allowClear options={l.districtOptions} />
        </Form.Item>
      </Form>
      {search.isPending ? (
        <PageLoader />
      ) : search.error ? (
        <ErrorAlert error={search.error} />
      ) : search.data.items.length ? (
        search.data.items.map((p) => <PostCard key={p.id} post={p} to={`/worker/jobs/posts/${p.id}`} />)
      ) : (
        <Empty description={t('recruitment.search.none')} />
      )}
    </>
  );
}

function PostPage() {
  const { id = '' } = useParams();
  const t = useT();
  const l = useLabels();
  const { message } = App.useApp();
  const post = usePost(id);
  const apply = useApply();
  const [note, setNote] = useState('');
  useDocumentTitle(post.data?.title ?? t('sec.worker.jobs'));
  if (post.isPending) return <PageLoader />;
  if (post.error) return <ErrorAlert error={post.error} />;
  const p = post.data;
  return (
    <div className="recruitment-page recruitment-phone">
      <BackLink to="/worker/jobs">← {t('recruitment.back')}</BackLink>
      <h1>{p.title}</h1>
      <Card size="small">
        <Salary post={p} />
        <div className="recruitment-meta">
          {p.company.name} · {l.district(p.district)} {p.location}
        </div>
        <div className="recruitment-meta">
          {t(`recruitment.mode.${p.mode}` as MessageKey)} · {l.category(p.category)} ·{' '}
          {t('recruitment.headcount', { n: p.headcount })} · {t('recruitment.closesOn', { date: p.closesOn })}
        </div>
        <div className="recruitment-meta">
          {t('recruitment.requirements', { min: p.minAge, max: p.maxAge, years: p.minExperienceYears })}
          {p.minLevel ? ` · ${l.level(p.minLevel)}` : ''}
          {p.certificateRequired ? ` · ${t('recruitment.certificateRequired')}` : ''}
        </div>
        <p>{p.description}</p>
        <div className="recruitment-meta">
          {t('recruitment.minimumWage', { amount: formatAmount(p.minimumWageFen) })}
        </div>
      </Card>
      {p.mine?.applicationId ? (
        <Link to={`/worker/jobs/applications/${p.mine.applicationId}`}>{t('recruitment.applied.view')}</Link>
      ) : p.mine && !p.mine.eligible ? (
        <ErrorAlert
          error={
            new Error(
              t('recruitment.notEligible', {
                what: p.mine.unmet.map((u) => t(`recruitment.unmet.${u}` as MessageKey)).join(' / '),
              }),
            )
          }
        />
      ) : p.open ? (
        <Form layout="vertical">
          <p>{t('recruitment.apply.grantNote')}</p>
          <Form.Item label={t('recruitment.field.coverNote')}>
            <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
          {apply.error && <ErrorAlert error={apply.error} />}
          <Button
            type="primary"
            block
            size="large"
            loading={apply.isPending}
            onClick={() =>
              apply.mutate(
                { postId: p.id, coverNote: note || null },
                { onSuccess: () => message.success(t('recruitment.apply.done')) },
              )
            }
          >
            {t('recruitment.apply')}
          </Button>
        </Form>
      ) : (
        <Tag>{t('recruitment.closed')}</Tag>
      )}
    </div>
  );
}

function MyApplications() {
  const t = useT();
  const mine = useMyApplications();
  if (mine.isPending) return <PageLoader />;
  if (mine.error) return <ErrorAlert error={mine.error} />;
  if (!mine.data.items.length) return <Empty description={t('recruitment.mine.none')} />;
  return (
    <List
      dataSource={mine.data.items}
      renderItem={(a) => (
        <List.Item>
          <List.Item.Meta
            title={<Link to={`/worker/jobs/applications/${a.id}`}>{a.post.title}</Link>}
            description={a.company.name}
          />
          <StateTag state={a.state} />
        </List.Item>
      )}
    />
  );
}

function ApplicationPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const a = useApplication(id);
  const act = useAct();
  useDocumentTitle(t('recruitment.application'));
  if (a.isPending) return <PageLoader />;
  if (a.error) return <ErrorAlert error={a.error} />;
  const app = a.data;
  return (
    <div className="recruitment-page recruitment-phone">
      <BackLink to="/worker/jobs">← {t('recruitment.back')}</BackLink>
      <h1>{app.post.title}</h1>
      <p>
        {app.company.name} <StateTag state={app.state} />
      </p>
      {app.interviewId && (
        <p>
          <Link to={`/worker/messages/interviews/${app.interviewId}`}>{t('recruitment.interview.open')}</Link>
        </p>
      )}
      {app.state === 'hired' && <p>{t('recruitment.hired.note')}</p>}
      {act.error && <ErrorAlert error={act.error} />}
      <div className="recruitment-actions">
        {app.actions
          .filter((x) => x === 'accept' || x === 'decline' || x === 'withdraw')
          .map((x) => (
            <Button
              key={x}
              type={x === 'accept' ? 'primary' : 'default'}
              loading={act.isPending}
              onClick={() => act.mutate({ id: app.id, action: x as 'accept' | 'decline' | 'withdraw' })}
            >
              {t(`recruitment.action.${x}` as MessageKey)}
            </Button>
          ))}
      </div>
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
    </div>
  );
}

function Saved() {
  const t = useT();
  const l = useLabels();
  const saved = useSavedSearches();
  const save = useSaveSearch();
  const del = useDeleteSavedSearch();
  const [form] = Form.useForm();
  return (
    <>
      <ContactOptIn />
      {saved.isPending ? (
        <PageLoader />
      ) : saved.error ? (
        <ErrorAlert error={saved.error} />
      ) : (
        <List
          locale={{ emptyText: t('recruitment.saved.none') }}
          dataSource={saved.data.items}
          renderItem={(s) => (
            <List.Item
              actions={[
                <Button
                  key="del"
                  onClick={() => del.mutate(s.id)}
                  aria-label={t('recruitment.saved.delete', { name: s.name })}
                >
                  {t('recruitment.delete')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={s.name}
                description={[
                  ...s.categories.map(l.category),
                  ...s.modes.map((m) => t(`recruitment.mode.${m}` as MessageKey)),
                  l.district(s.district),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              />
              {s.alerts && <Tag color="blue">{t('recruitment.saved.alerts')}</Tag>}
            </List.Item>
          )}
        />
      )}
      <h2>{t('recruitment.saved.new')}</h2>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ alerts: true, categories: [], modes: [] }}
        onFinish={(v: {
          name: string;
          categories: string[];
          modes: PostMode[];
          district?: string;
          minSalaryYuan?: number;
          keyword?: string;
          alerts: boolean;
        }) =>
          save.mutate(
            {
              name: v.name,
              categories: v.categories,
              modes: v.modes,
              district: v.district ?? null,
              minSalaryFen: v.minSalaryYuan ? Math.round(v.minSalaryYuan * 100) : null,
              keyword: v.keyword || null,
              alerts: v.alerts,
            },
            { onSuccess: () => form.resetFields() },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('recruitment.saved.name')}
          rules={[{ required: true, message: t('recruitment.required') }]}
        >
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="categories" label={t('recruitment.field.category')}>
          <Select mode="multiple" options={l.categoryOptions} />
        </Form.Item>
        <Form.Item name="modes" label={t('recruitment.field.mode')}>
          <Select
            mode="multiple"
            options={postModes.map((m) => ({ value: m, label: t(`recruitment.mode.${m}` as MessageKey) }))}
          />
        </Form.Item>
        <Form.Item name="district" label={t('recruitment.field.district')}>
          <Select allowClear options={l.districtOptions} />
        </Form.Item>
        <Form.Item name="minSalaryYuan" label={t('recruitment.field.minSalary')}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="alerts" label={t('recruitment.saved.alerts')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {save.error && <ErrorAlert error={save.error} />}
        <Button type="primary" htmlType="submit" block size="large" loading={save.isPending}>
          {t('recruitment.saved.save')}
        </Button>
      </Form>
    </>
  );
}

/** The opt-in to be invited by the regulator to complete the worker registration (当家政); off by default. */
function ContactOptIn() {
  const t = useT();
  const consent = useContactConsent();
  const set = useSetContactConsent();
  if (consent.isPending) return <PageLoader />;
  if (consent.error) return <ErrorAlert error={consent.error} />;
  return (
    <Card size="small" className="recruitment-card" title={t('recruitment.contact.title')}>
      <p className="recruitment-meta" id="contact-optin-help">
        {t('recruitment.contact.help')}
      </p>
      <div className="recruitment-switch">
        <Switch
          id="contact-optin"
          checked={consent.data.optedIn}
          loading={set.isPending}
          onChange={(v) => set.mutate(v)}
          aria-describedby="contact-optin-help"
          data-testid="contact-optin"
        />
        <label htmlFor="contact-optin">{t('recruitment.contact.label')}</label>
      </div>
      {set.error && <ErrorAlert error={set.error} />}
    </Card>
  );
}

function Fairs() {
  const t = useT();
  const { locale } = useLocale();
  const fairs = useFairs();
  if (fairs.isPending) return <PageLoader />;
  if (fairs.error) return <ErrorAlert error={fairs.error} />;
  if (!fairs.data.items.length) return <Empty description={t('recruitment.fairs.none')} />;
  return (
    <List
      dataSource={fairs.data.items}
      renderItem={(f) => (
        <List.Item>
          <List.Item.Meta
            title={<Link to={`/worker/jobs/fairs/${f.id}`}>{f.title}</Link>}
            description={`${formatDate(f.startsAt, locale)} · ${f.venue ?? t('recruitment.fair.online')}`}
          />
          <Tag>{t(`recruitment.fair.phase.${f.phase}` as MessageKey)}</Tag>
        </List.Item>
      )}
    />
  );
}

function FairPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const t = useT();
  const { locale } = useLocale();
  const fair = useFair(id);
  const register = useRegisterForFair();
  const checkIn = useCheckIn();
  const code = params.get('code');
  useDocumentTitle(fair.data?.title ?? t('recruitment.tab.fairs'));
  if (fair.isPending) return <PageLoader />;
  if (fair.error) return <ErrorAlert error={fair.error} />;
  const f = fair.data;
  return (
    <div className="recruitment-page recruitment-phone">
      <BackLink to="/worker/jobs">← {t('recruitment.back')}</BackLink>
      <h1>{f.title}</h1>
      <p className="recruitment-meta">
        {formatDate(f.startsAt, locale)} – {formatDate(f.endsAt, locale)} ·{' '}
        {f.venue ?? t('recruitment.fair.online')}
      </p>
      <p>{t('recruitment.fair.companies', { n: f.companies.length })}</p>
      {register.error && <ErrorAlert error={register.error} />}
      {checkIn.error && <ErrorAlert error={checkIn.error} />}
      <div className="recruitment-actions">
        {f.myRegistration?.checkedInAt ? (
          <Tag color="green">{t('recruitment.fair.checkedIn')}</Tag>
        ) : code ? (
          <Button
            type="primary"
            size="large"
            loading={checkIn.isPending}
            onClick={() => checkIn.mutate({ id: f.id, code })}
          >
            {t('recruitment.fair.checkIn')}
          </Button>
        ) : f.myRegistration ? (
          <Tag color="blue">{t('recruitment.fair.registered')}</Tag>
        ) : (
          f.phase !== 'ended' && (
            <Button
              type="primary"
              size="large"
              loading={register.isPending}
              onClick={() => register.mutate(f.id)}
            >
              {t('recruitment.fair.register')}
            </Button>
          )
        )}
      </div>
      <h2>{t('recruitment.fair.posts')}</h2>
      {f.posts.length ? (
        f.posts.map((p) => <PostCard key={p.id} post={p} to={`/worker/jobs/posts/${p.id}`} />)
      ) : (
        <Empty description={t('recruitment.search.none')} />
      )}
    </div>
  );
}
