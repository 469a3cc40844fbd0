import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Input, List, Modal, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ButtonLink } from '../../../shared/ui/ButtonLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { Checklist, TrustBadge } from '../../certification/components';
import { categoriesText, DocState, FileSection, NotYet, skillText } from '../components';
import { useMyDeletionRequests, useMyFile, useRequestDeletion } from '../efile.api';
import { formatAmount } from '../../../shared/money';

/** /worker/file: my whole e-file (一档), its live colour, exports and a deletion request. Phone first. */
export default function WorkerFilePage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.worker.file'));
  const file = useMyFile();
  if (file.isLoading) return <Spin />;
  if (file.error) return <ErrorAlert error={file.error} />;
  const f = file.data!;
  const p = f.profile;
  const d = (v: string | null) => (v ? formatDate(v, locale) : '—');
  return (
    <div className="console-page efile">
      <h1>{t('sec.worker.file')}</h1>
      <p>
        <TrustBadge color={f.status.color} reason={f.status.reason} />
      </p>
      <Space wrap className="efile-actions">
        <Button icon={<DownloadOutlined />} href="/api/v1/workers/me/export.pdf" download>
          {t('efile.export.pdf')}
        </Button>
        <Button icon={<DownloadOutlined />} href="/api/v1/workers/me/export.json" download>
          {t('efile.export.json')}
        </Button>
        <ButtonLink to="/worker/sharing">{t('sec.worker.sharing')}</ButtonLink>
        <ButtonLink to="/worker/access-log">{t('sec.worker.accessLog')}</ButtonLink>
      </Space>

      <FileSection title={t('efile.section.basic')}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('efile.field.name')}>{p.name}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.idNumber')}>{p.idNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.birthDate')}>{p.birthDate}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.phone')}>
            {p.phone ?? t('efile.phoneOnAccount')}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.categories')}>
            {categoriesText(p.categories, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.skill')}>
            {skillText(p.skillLevel, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.years')}>{p.yearsExperience ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.identity')}>{d(p.identityVerifiedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.consent')}>{d(p.consentAcceptedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.intro')}>{p.intro ?? '—'}</Descriptions.Item>
        </Descriptions>
      </FileSection>

      <FileSection title={t('efile.section.certificate')}>
        {f.certificate ? (
          <p>
            {f.certificate.number} · {d(f.certificate.validFrom)} – {d(f.certificate.validUntil)}
          </p>
        ) : (
          <Alert type="info" showIcon message={f.status.reasonLabel} />
        )}
        <Checklist checks={f.status.checks} />
      </FileSection>

      <FileSection title={t('efile.section.documents')}>
        <List
          size="small"
          dataSource={f.documents}
          locale={{ emptyText: t('efile.none') }}
          renderItem={(doc) => (
            <List.Item
              actions={
                doc.downloadPath
                  ? [
                      <a key="open" href={doc.downloadPath} target="_blank" rel="noopener">
                        {t('efile.open')}
                      </a>,
                    ]
                  : []
              }
            >
              <span>
                {doc.kindLabel} <DocState state={doc.state} />
                {doc.current ? '' : <Tag>{t('efile.doc.superseded')}</Tag>}
                {doc.expiresOn ? ` ${t('efile.until', { date: d(doc.expiresOn) })}` : ''}
                {doc.reason ? <div className="muted small">{doc.reason}</div> : null}
              </span>
            </List.Item>
          )}
        />
      </FileSection>

      <FileSection title={t('efile.section.training')}>
        <List
          size="small"
          dataSource={f.training}
          locale={{ emptyText: t('efile.none') }}
          renderItem={(r) => (
            <List.Item>
              {r.courseName} · {r.passed ? t('efile.passed') : t('efile.notPassed')}
              {r.score != null ? ` (${r.score})` : ''} · {d(r.examDate)}
            </List.Item>
          )}
        />
        <List
          size="small"
          dataSource={[
            ...f.trainingRecords.certificates.map((c) => ({
              key: c.number,
              text: `${c.courseTitle} · ${c.number} · ${c.score} · ${d(c.issuedAt)}`,
            })),
            ...f.trainingRecords.exams.map((e, i) => ({
              key: `exam-${i}`,
              text: `${e.examTitle} · ${e.score} · ${e.passed ? t('efile.passed') : t('efile.notPassed')} · ${d(e.at)}`,
            })),
          ]}
          locale={{ emptyText: t('efile.none') }}
          renderItem={(r) => <List.Item key={r.key}>{r.text}</List.Item>}
        />
      </FileSection>

      <FileSection title={t('efile.section.background')}>
        <List
          size="small"
          dataSource={f.backgroundChecks}
          locale={{ emptyText: t('efile.none') }}
          renderItem={(c) => (
            <List.Item>
              {t(
                `efile.bg.${c.state === 'clear' || c.state === 'record_found' ? c.state : 'pending'}` as MessageKey,
              )}{' '}
              · {d(c.checkedOn)}
              {c.reference ? ` · ${c.reference}` : ''}
            </List.Item>
          )}
        />
      </FileSection>

      <FileSection title={t('efile.section.work')}>
        <List
          size="small"
          dataSource={f.workHistory.employment}
          locale={{ emptyText: t('efile.none') }}
          renderItem={(e) => (
            <List.Item>
              {e.companyName ?? '—'} · {d(e.startedAt)} – {e.endedAt ? d(e.endedAt) : t('efile.now')}
            </List.Item>
          )}
        />
        <h3>{t('efile.section.orders')}</h3>
        {f.workHistory.orders.available ? (
          <List
            size="small"
            dataSource={f.workHistory.orders.items}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(o) => (
              <List.Item>
                {d(o.from)} – {d(o.to)} · {categoriesText([o.category], locale)} · {o.companyName}
                {o.role === 'substitute' ? ` · ${t('efile.order.substitute')}` : ''} · {o.number}
              </List.Item>
            )}
          />
        ) : (
          <NotYet section={f.workHistory.orders} />
        )}
        <h3>{t('efile.section.contracts')}</h3>
        {f.workHistory.contracts.available ? (
          <List
            size="small"
            dataSource={f.workHistory.contracts.items}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(c) => (
              <List.Item>
                {d(c.startDate)} – {d(c.endDate)} · {categoriesText([c.category], locale)} · {c.companyName} ·{' '}
                {c.number} · {t('efile.contract.wage', { amount: formatAmount(c.monthlyWageFen) })}{' '}
                <Tag>{t(`contracts.state.${c.state}` as MessageKey)}</Tag>
              </List.Item>
            )}
          />
        ) : (
          <NotYet section={f.workHistory.contracts} />
        )}
      </FileSection>
      <FileSection title={t('efile.section.reviews')}>
        {f.reviews.available ? (
          <List
            size="small"
            dataSource={f.reviews.items}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(r) => (
              <List.Item>
                {d(r.createdAt)} · {t('efile.review.overall', { score: r.overall.toFixed(1) })} · {r.text}
              </List.Item>
            )}
          />
        ) : (
          <NotYet section={f.reviews} />
        )}
      </FileSection>
      <FileSection title={t('efile.section.complaints')}>
        {f.complaints.available ? (
          <List
            size="small"
            dataSource={f.complaints.items}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(c) => (
              <List.Item>
                {d(c.filedAt)}
                {c.orderNumber ? ` · ${c.orderNumber}` : ''} ·{' '}
                <Tag>{t(`feedback.state.${c.state}` as MessageKey)}</Tag>
              </List.Item>
            )}
          />
        ) : (
          <NotYet section={f.complaints} />
        )}
      </FileSection>
      <FileSection title={t('efile.section.credit')}>
        {f.credit.available ? (
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('credit.score')}>
              {f.credit.score} · {t('credit.stars', { n: f.credit.stars })}
            </Descriptions.Item>
            <Descriptions.Item label={t('efile.credit.ratings')}>
              {f.credit.ratingAvg != null
                ? t('efile.credit.ratingValue', { avg: f.credit.ratingAvg, n: f.credit.ratingCount })
                : '—'}
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <NotYet section={f.credit} />
        )}
        <Link to="/worker/credit">{t('efile.credit.details')}</Link>
      </FileSection>
      <FileSection title={t('efile.section.insurance')}>
        {f.insurance.available ? (
          <List
            size="small"
            dataSource={f.insurance.items}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(p) => (
              <List.Item>
                {d(p.startsOn)} – {d(p.endsOn)} · {p.product.title} · {p.insurer.name} · {p.number}{' '}
                <Tag>{p.stateLabel}</Tag>
              </List.Item>
            )}
          />
        ) : (
          <NotYet section={f.insurance} />
        )}
      </FileSection>

      <DeletionBlock />
    </div>
  );
}

function DeletionBlock() {
  const t = useT();
  const { locale } = useLocale();
  const list = useMyDeletionRequests();
  const ask = useRequestDeletion();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const pending = list.data?.items.find((r) => r.state === 'pending');
  return (
    <FileSection title={t('efile.deletion.title')}>
      <p className="muted small">{t('efile.deletion.explain')}</p>
      {list.data?.items.map((r) => (
        <p key={r.id}>
          <Tag>{t(`efile.deletion.state.${r.state}`)}</Tag> {formatDate(r.createdAt, locale)} ·{' '}
          {t('efile.deletion.due', { date: formatDate(r.dueOn, locale) })}
          {r.decisionReason ? ` · ${r.decisionReason}` : ''}
        </p>
      ))}
      <Button danger icon={<DeleteOutlined />} disabled={!!pending} onClick={() => setOpen(true)}>
        {t('efile.deletion.ask')}
      </Button>
      <Modal
        open={open}
        title={t('efile.deletion.ask')}
        okText={t('efile.deletion.submit')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: ask.isPending }}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          await ask.mutateAsync(reason.trim());
          setOpen(false);
          setReason('');
        }}
      >
        <ErrorAlert error={ask.error} />
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          placeholder={t('efile.deletion.reason')}
          aria-label={t('efile.deletion.reason')}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </FileSection>
  );
}
