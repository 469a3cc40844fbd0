import { SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Rate,
  Select,
  Space,
  Tag,
  Timeline,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { PageLoader } from '../../shared/ui/PageLoader';
import { formatDateTime } from '../orders/components';
import {
  fileUrl,
  newIdempotencyKey,
  useComplaint,
  useComplaintStep,
  useCreateReview,
  useEmployerRatings,
  useFileComplaint,
  useOrderReviews,
  usePublicReviews,
  useReviewAction,
  uploadFeedbackFile,
} from './feedback.api';
import {
  type ComplaintAction,
  type ComplaintDetail,
  type ComplaintState,
  employerDimensions,
  residentCategories,
  residentDimensions,
  type ReviewView,
  workerCategories,
} from './feedback.types';
import './feedback.css';

const stateColor: Record<ComplaintState, string> = {
  filed: 'gold',
  responded: 'blue',
  escalated: 'volcano',
  investigating: 'purple',
  upheld: 'red',
  rejected: 'default',
  closed: 'green',
  withdrawn: 'default',
};

export function ComplaintStateTag({ state }: { state: ComplaintState }) {
  const t = useT();
  return (
    <Tag color={stateColor[state]} data-testid="complaint-state">
      {t(`feedback.state.${state}` as MessageKey)}
    </Tag>
  );
}

/** The company's response countdown: time left, or overdue in red. */
export function SlaTimer({ remainingMs }: { remainingMs: number | null }) {
  const t = useT();
  if (remainingMs === null) return null;
  const hours = Math.floor(Math.abs(remainingMs) / 3600_000);
  const minutes = Math.floor((Math.abs(remainingMs) % 3600_000) / 60_000);
  return remainingMs >= 0 ? (
    <Tag color={remainingMs < 4 * 3600_000 ? 'orange' : 'blue'} data-testid="sla-timer">
      {t('feedback.sla.left', { h: hours, m: minutes })}
    </Tag>
  ) : (
    <Tag color="red" data-testid="sla-timer">
      {t('feedback.sla.overdue', { h: hours, m: minutes })}
    </Tag>
  );
}

/** Picks up to 9 images or PDFs, uploads each at once, and reports the ids to attach. */
export function FilePicker({ onChange }: { onChange: (ids: string[]) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [ids, setIds] = useState<{ uid: string; fileId: string }[]>([]);
  useEffect(() => onChange(ids.map((i) => i.fileId)), [ids, onChange]);
  return (
    <Upload
      accept="image/jpeg,image/png,application/pdf"
      maxCount={9}
      multiple
      customRequest={async (opts) => {
        try {
          const { fileId } = await uploadFeedbackFile(opts.file as File);
          setIds((prev) => [...prev, { uid: (opts.file as { uid: string }).uid, fileId }]);
          opts.onSuccess?.({ fileId });
        } catch (e) {
          message.error((e as Error).message);
          opts.onError?.(e as Error);
        }
      }}
      onRemove={(f) => setIds((prev) => prev.filter((i) => i.uid !== f.uid))}
    >
      <Button icon={<UploadOutlined />}>{t('feedback.upload')}</Button>
    </Upload>
  );
}

/** One review: stars, the verified-order badge, text, photos, reply. */
export function ReviewCard({ r, actions }: { r: ReviewView; actions?: React.ReactNode }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="feedback-review" data-testid="review-card">
      <div className="feedback-review-head">
        <Rate disabled allowHalf value={Math.round(r.overall * 2) / 2} style={{ fontSize: 14 }} />
        <strong>{r.overall.toFixed(1)}</strong>
        <Tag color="green" icon={<SafetyCertificateOutlined />}>
          {r.contractId ? t('feedback.verified.contract') : t('feedback.verified.order')}
        </Tag>
        {r.state !== 'published' ? (
          <Tag color={r.state === 'hidden' ? 'red' : 'orange'}>
            {t(`feedback.review.${r.state}` as MessageKey)}
          </Tag>
        ) : null}
      </div>
      <div className="muted small">
        {r.authorName} · {r.orderNumber} · {formatDateTime(r.createdAt, locale)}
        {r.worker ? ` · ${r.worker.name}` : ''}
        {r.company ? ` · ${r.company.name}` : ''}
        {r.employerName ? ` · ${t('feedback.employer')} ${r.employerName}` : ''}
      </div>
      <div className="feedback-dims small">
        {Object.entries(r.ratings).map(([k, v]) => (
          <span key={k}>
            {t(`feedback.dim.${k}` as MessageKey)} {v}
          </span>
        ))}
      </div>
      <p className="feedback-text">{r.text}</p>
      {r.photos.length ? (
        <Space wrap>
          {r.photos.map((p) =>
            p.contentType.startsWith('image/') ? (
              <img key={p.fileId} src={fileUrl(p.fileId)} alt="" className="feedback-photo" />
            ) : (
              <a key={p.fileId} href={fileUrl(p.fileId)} target="_blank" rel="noreferrer">
                PDF
              </a>
            ),
          )}
        </Space>
      ) : null}
      {r.moderationReason ? (
        <div className="muted small">{t('feedback.moderation.reason', { reason: r.moderationReason })}</div>
      ) : null}
      {r.reply ? (
        <div className="feedback-reply small">
          {t('feedback.reply.label')}: {r.reply.text}
        </div>
      ) : null}
      {actions}
    </div>
  );
}

/** Reply (for the reviewed party) and report buttons under a review. */
export function ReviewActions({ r, canReply }: { r: ReviewView; canReply: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const act = useReviewAction();
  const [mode, setMode] = useState<'reply' | 'report' | null>(null);
  const [text, setText] = useState('');
  const submit = async () => {
    try {
      await act.mutateAsync({ id: r.id, kind: mode!, body: mode === 'reply' ? { text } : { reason: text } });
      message.success(t(mode === 'reply' ? 'feedback.reply.done' : 'feedback.report.done'));
      setMode(null);
      setText('');
    } catch {
      // shown below
    }
  };
  return (
    <>
      <Space size={4}>
        {canReply && !r.reply ? (
          <Button size="small" type="link" onClick={() => setMode('reply')}>
            {t('feedback.reply')}
          </Button>
        ) : null}
        <Button size="small" type="link" danger onClick={() => setMode('report')}>
          {t('feedback.report')}
        </Button>
      </Space>
      <Modal
        open={!!mode}
        title={t(mode === 'reply' ? 'feedback.reply' : 'feedback.report')}
        onCancel={() => setMode(null)}
        onOk={submit}
        confirmLoading={act.isPending}
        okButtonProps={{ disabled: !text.trim() }}
      >
        <ErrorAlert error={act.error} />
        <Input.TextArea rows={3} maxLength={500} value={text} onChange={(e) => setText(e.target.value)} />
      </Modal>
    </>
  );
}

/** The review form: one star row per dimension of the side, text, photos. */
export function ReviewForm({
  orderId,
  side,
  onDone,
}: {
  orderId: string;
  side: 'resident' | 'provider';
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const create = useCreateReview();
  const [photoIds, setPhotoIds] = useState<string[]>([]);
  const dims = side === 'resident' ? residentDimensions : employerDimensions;
  return (
    <Form
      layout="vertical"
      initialValues={Object.fromEntries(dims.map((d) => [d, 5]))}
      onFinish={async (v: Record<string, number | string>) => {
        try {
          await create.mutateAsync({
            orderId,
            ratings: Object.fromEntries(dims.map((d) => [d, Number(v[d])])),
            text: String(v.text),
            photoIds,
          });
          message.success(t('feedback.review.done'));
          onDone();
        } catch {
          // shown below
        }
      }}
    >
      <ErrorAlert error={create.error} />
      {dims.map((d) => (
        <Form.Item key={d} name={d} label={t(`feedback.dim.${d}` as MessageKey)} rules={[{ required: true }]}>
          <Rate />
        </Form.Item>
      ))}
      <Form.Item
        name="text"
        label={t('feedback.review.text')}
        rules={[{ required: true, whitespace: true, max: 1000 }]}
      >
        <Input.TextArea rows={3} maxLength={1000} data-testid="review-text" />
      </Form.Item>
      <Form.Item label={t('feedback.review.photos')}>
        <FilePicker onChange={setPhotoIds} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending} block>
        {t('feedback.review.submit')}
      </Button>
    </Form>
  );
}

/** The complaint form: subject, category, description, evidence. Sent with an Idempotency-Key. */
export function ComplaintForm({
  as: role,
  orderId,
  companyId,
  onDone,
}: {
  as: 'resident' | 'worker';
  orderId?: string | null;
  companyId?: string | null;
  onDone: (c: ComplaintDetail) => void;
}) {
  const t = useT();
  const file = useFileComplaint();
  const [key] = useState(newIdempotencyKey);
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const subjects = orderId
    ? role === 'resident'
      ? (['worker', 'company'] as const)
      : (['employer', 'company'] as const)
    : (['company'] as const);
  const categories = role === 'resident' ? residentCategories : workerCategories;
  return (
    <Form
      layout="vertical"
      initialValues={{ subject: subjects[0] }}
      onFinish={async (v: {
        subject: 'worker' | 'company' | 'employer';
        category: string;
        description: string;
      }) => {
        try {
          const c = await file.mutateAsync({
            key,
            body: {
              orderId: orderId ?? null,
              // Without an order the server takes the worker's own company (欠薪, 扣押证件).
              companyId: orderId ? null : (companyId ?? null),
              subject: v.subject,
              category: v.category,
              description: v.description,
              evidenceIds,
            },
          });
          onDone(c);
        } catch {
          // shown below
        }
      }}
    >
      <ErrorAlert error={file.error} />
      <Form.Item name="subject" label={t('feedback.complaint.subject')} rules={[{ required: true }]}>
        <Radio.Group>
          {subjects.map((s) => (
            <Radio.Button key={s} value={s}>
              {t(`feedback.subject.${s}` as MessageKey)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="category" label={t('feedback.complaint.category')} rules={[{ required: true }]}>
        <Select
          data-testid="complaint-category"
          options={categories.map((c) => ({ value: c, label: t(`feedback.category.${c}` as MessageKey) }))}
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('feedback.complaint.description')}
        rules={[{ required: true, whitespace: true, max: 2000 }]}
      >
        <Input.TextArea rows={4} maxLength={2000} data-testid="complaint-description" />
      </Form.Item>
      <Form.Item label={t('feedback.complaint.evidence')}>
        <FilePicker onChange={setEvidenceIds} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={file.isPending} block>
        {t('feedback.complaint.submit')}
      </Button>
    </Form>
  );
}

const needsReason: ComplaintAction[] = ['respond', 'refuse', 'uphold', 'reject', 'appeal'];

/** One complaint: facts, SLA, the decision, the timeline, and the caller's buttons. */
export function ComplaintDetailView({ id }: { id: string }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const q = useComplaint(id);
  const step = useComplaintStep(id);
  const [action, setAction] = useState<ComplaintAction | null>(null);
  const [reason, setReason] = useState('');
  const [cert, setCert] = useState<'none' | 'suspend' | 'revoke'>('none');
  if (q.isPending) return <PageLoader />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const c = q.data;
  const run = async (a: ComplaintAction) => {
    try {
      await step.mutateAsync({
        action: a,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(a === 'uphold' ? { certificateAction: cert } : {}),
      });
      message.success(t('feedback.step.done'));
      setAction(null);
      setReason('');
    } catch {
      // shown in the dialog
    }
  };
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} className="feedback-complaint">
      <Card
        size="small"
        title={
          <Space wrap size={4}>
            <span>{t(`feedback.category.${c.category}` as MessageKey)}</span>
            <ComplaintStateTag state={c.state} />
            <SlaTimer remainingMs={c.slaRemainingMs} />
          </Space>
        }
      >
        <Descriptions column={1} size="small">
          {c.orderNumber ? (
            <Descriptions.Item label={t('feedback.order')}>{c.orderNumber}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('feedback.complaint.subject')}>
            {t(`feedback.subject.${c.subjectType}` as MessageKey)}{' '}
            {c.worker?.name ?? (c.subjectType === 'employer' ? c.employerName : c.company?.name)}
          </Descriptions.Item>
          {c.company ? (
            <Descriptions.Item label={t('feedback.company')}>{c.company.name}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('feedback.complainant')}>{c.complainantName}</Descriptions.Item>
          <Descriptions.Item label={t('feedback.filedAt')}>
            {formatDateTime(c.filedAt, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('feedback.respondBy')}>
            {formatDateTime(c.respondBy, locale)}
          </Descriptions.Item>
        </Descriptions>
        <p className="feedback-text">{c.description}</p>
        {c.evidence.length ? (
          <Space wrap>
            {c.evidence.map((e, i) => (
              <a key={e.fileId} href={fileUrl(e.fileId)} target="_blank" rel="noreferrer">
                {t('feedback.evidence.n', { n: i + 1 })}
              </a>
            ))}
          </Space>
        ) : null}
        {c.response ? (
          <Alert
            type="info"
            style={{ marginTop: 8 }}
            message={t('feedback.response')}
            description={c.response}
          />
        ) : null}
        {c.escalatedAt ? (
          <Alert
            type="warning"
            style={{ marginTop: 8 }}
            message={t(
              c.escalatedBy === 'system' ? 'feedback.escalated.system' : 'feedback.escalated.complainant',
              {
                at: formatDateTime(c.escalatedAt, locale),
              },
            )}
          />
        ) : null}
        {c.outcome ? (
          <Alert
            type={c.outcome === 'upheld' ? 'error' : 'success'}
            style={{ marginTop: 8 }}
            data-testid="complaint-outcome"
            message={t(`feedback.outcome.${c.outcome}` as MessageKey)}
            description={
              <>
                <div>{c.decisionReason}</div>
                {c.certificateAction && c.certificateAction !== 'none' ? (
                  <div>{t(`feedback.cert.${c.certificateAction}` as MessageKey)}</div>
                ) : null}
              </>
            }
          />
        ) : null}
      </Card>
      {c.actions.length ? (
        <Card size="small" title={t('feedback.actions')}>
          <Space wrap>
            {c.actions.map((a) => (
              <Button
                key={a}
                type={['respond', 'uphold', 'accept', 'investigate'].includes(a) ? 'primary' : 'default'}
                danger={a === 'withdraw'}
                onClick={() => {
                  step.reset();
                  setAction(a);
                }}
              >
                {t(`feedback.act.${a}` as MessageKey)}
              </Button>
            ))}
          </Space>
        </Card>
      ) : null}
      <Card size="small" title={t('feedback.history')}>
        <Timeline
          items={c.history.map((h) => ({
            children: (
              <div className="small">
                <div>
                  {t(`feedback.act.${h.action}` as MessageKey)} ·{' '}
                  {t(`feedback.party.${h.party}` as MessageKey)}
                </div>
                <div className="muted">{formatDateTime(h.at, locale)}</div>
                {h.note ? <div>{h.note}</div> : null}
              </div>
            ),
          }))}
        />
      </Card>
      <Modal
        open={!!action}
        title={action ? t(`feedback.act.${action}` as MessageKey) : ''}
        onCancel={() => setAction(null)}
        onOk={() => action && run(action)}
        confirmLoading={step.isPending}
        okButtonProps={{ disabled: !!action && needsReason.includes(action) && !reason.trim() }}
      >
        <ErrorAlert error={step.error} />
        {action &&
        action !== 'investigate' &&
        action !== 'close' &&
        action !== 'accept' &&
        action !== 'withdraw' ? (
          <Input.TextArea
            rows={3}
            maxLength={2000}
            placeholder={t('feedback.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="complaint-reason"
          />
        ) : (
          <p>{t('feedback.confirm')}</p>
        )}
        {action === 'uphold' && c.worker ? (
          <div style={{ marginTop: 8 }}>
            <div className="small">{t('feedback.cert.label')}</div>
            <Radio.Group value={cert} onChange={(e) => setCert(e.target.value)}>
              <Radio value="none">{t('feedback.cert.none')}</Radio>
              <Radio value="suspend">{t('feedback.cert.suspend')}</Radio>
              <Radio value="revoke">{t('feedback.cert.revoke')}</Radio>
            </Radio.Group>
          </div>
        ) : null}
      </Modal>
    </Space>
  );
}

/** On an order page: review it (after completion) and complain about it; shows both sides' reviews. */
export function OrderFeedbackPanel({ orderId, relation }: { orderId: string; relation: string }) {
  const t = useT();
  const { locale } = useLocale();
  const enabled = ['resident', 'company', 'worker'].includes(relation);
  const q = useOrderReviews(orderId, enabled);
  const [open, setOpen] = useState<'review' | 'complaint' | null>(null);
  const [filed, setFiled] = useState<string | null>(null);
  if (!enabled || !q.data) return null;
  const d = q.data;
  const complainRole = relation === 'resident' ? 'resident' : relation === 'worker' ? 'worker' : null;
  return (
    <Card size="small" title={t('feedback.order.title')} data-testid="order-feedback">
      <Space direction="vertical" style={{ width: '100%' }}>
        {d.canReview ? (
          <>
            <div className="muted small">
              {d.windowEndsAt ? t('feedback.window', { at: formatDateTime(d.windowEndsAt, locale) }) : null}
            </div>
            <Button type="primary" onClick={() => setOpen('review')} data-testid="review-open">
              {t(d.side === 'resident' ? 'feedback.review.write' : 'feedback.review.writeEmployer')}
            </Button>
          </>
        ) : d.refusal ? (
          <div className="muted small">{t(`feedback.refusal.${d.refusal}` as MessageKey)}</div>
        ) : null}
        {complainRole ? (
          <Button onClick={() => setOpen('complaint')} data-testid="complaint-open">
            {t('feedback.complaint.file')}
          </Button>
        ) : null}
        {filed ? <Alert type="success" message={t('feedback.complaint.filed')} /> : null}
        {d.reviews.length ? (
          <List
            dataSource={d.reviews}
            renderItem={(r) => (
              <List.Item>
                <ReviewCard r={r} />
              </List.Item>
            )}
          />
        ) : null}
      </Space>
      <Modal
        open={open === 'review'}
        title={t('feedback.review.write')}
        footer={null}
        onCancel={() => setOpen(null)}
        destroyOnClose
      >
        <ReviewForm orderId={orderId} side={d.side} onDone={() => setOpen(null)} />
      </Modal>
      <Modal
        open={open === 'complaint'}
        title={t('feedback.complaint.file')}
        footer={null}
        onCancel={() => setOpen(null)}
        destroyOnClose
      >
        {complainRole ? (
          <ComplaintForm
            as={complainRole}
            orderId={orderId}
            onDone={(c) => {
              setFiled(c.id);
              setOpen(null);
            }}
          />
        ) : null}
      </Modal>
    </Card>
  );
}

/** For the company considering an order: how workers and companies rated this employer. */
export function EmployerRatingsCard({ orderId }: { orderId: string }) {
  const t = useT();
  const q = useEmployerRatings(orderId);
  if (!q.data) return null;
  return (
    <Card size="small" title={t('feedback.employerRatings')} data-testid="employer-ratings">
      {q.data.count === 0 ? (
        <span className="muted">{t('feedback.employerRatings.none')}</span>
      ) : (
        <>
          <Space>
            <Rate
              disabled
              allowHalf
              value={Math.round((q.data.average ?? 0) * 2) / 2}
              style={{ fontSize: 14 }}
            />
            <strong>{q.data.average?.toFixed(1)}</strong>
            <span className="muted">{t('feedback.reviews.count', { n: q.data.count })}</span>
          </Space>
          <List
            dataSource={q.data.recent}
            renderItem={(r) => (
              <List.Item>
                <ReviewCard r={r} />
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}

/** Recent published reviews of a worker or company, each with its verified-order badge (public profiles). */
export function PublicReviews({ kind, id }: { kind: 'workers' | 'companies'; id: string }) {
  const t = useT();
  const q = usePublicReviews(kind, id);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card size="small" title={t('feedback.public.title')} data-testid="public-reviews">
      <ErrorAlert error={q.error} />
      <List
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: <Empty description={t('feedback.reviews.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        renderItem={(r) => (
          <List.Item>
            <ReviewCard r={r} />
          </List.Item>
        )}
      />
      {q.hasNextPage ? (
        <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('feedback.more')}
        </Button>
      ) : null}
    </Card>
  );
}
