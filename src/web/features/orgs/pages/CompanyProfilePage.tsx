import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Space, Tag, Timeline, Upload } from 'antd';
import { useState } from 'react';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { CompanyForm } from '../components/CompanyForm';
import { ApplicationTag, formatTime, OrgStatusTag, useOrgLabels } from '../labels';
import {
  licenceUrl,
  useCompany,
  useSubmitApplication,
  useUpdateApplication,
  useUploadLicence,
} from '../orgs.api';
import type { CompanyDetail } from '../orgs.types';

const ACCEPT = 'image/jpeg,image/png,application/pdf';
const MAX_BYTES = 10 * 1024 * 1024;

/** The company console's profile: status, details, licence, review history; edit and submit while allowed. */
export default function CompanyProfilePage() {
  const t = useT();
  const me = useMe().data;
  useDocumentTitle(t('org.profile.title'));
  const membership = me?.memberships.find((m) => m.orgType === 'company');
  const company = useCompany(membership?.orgId);
  if (!membership) return <Empty description={t('org.profile.none')} />;
  if (company.isPending) return <PageLoader />;
  if (company.error) return <ErrorAlert error={company.error} />;
  return <Profile company={company.data} isAdmin={membership.role === 'admin'} />;
}

function Profile({ company: c, isAdmin }: { company: CompanyDetail; isAdmin: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const labels = useOrgLabels();
  const update = useUpdateApplication(c.id);
  const upload = useUploadLicence(c.id);
  const submit = useSubmitApplication(c.id);
  const [editing, setEditing] = useState(false);
  const editable = isAdmin && (c.applicationStatus === 'draft' || c.applicationStatus === 'needs_more_info');
  const lastAsk = [...c.reviews].reverse().find((r) => r.action === 'request_info' || r.action === 'reject');

  return (
    <div className="console-page">
      <Card
        title={c.name}
        extra={
          <Space wrap>
            <ApplicationTag status={c.applicationStatus} />
            <OrgStatusTag status={c.status} />
            {c.creditGrade && <Tag color="gold">{c.creditGrade}</Tag>}
          </Space>
        }
      >
        {c.applicationStatus === 'needs_more_info' && lastAsk && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('org.profile.asked')}
            description={lastAsk.reason}
          />
        )}
        {c.applicationStatus === 'rejected' && lastAsk && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('org.profile.rejected')}
            description={lastAsk.reason}
          />
        )}
        {c.applicationStatus === 'submitted' && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('org.profile.inReview')} />
        )}
        <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
          <Descriptions.Item label={t('org.f.uscc')}>{c.uscc}</Descriptions.Item>
          <Descriptions.Item label={t('org.f.legalRep')}>{c.legalRepresentative}</Descriptions.Item>
          <Descriptions.Item label={t('org.f.model')}>{labels.model(c.model)}</Descriptions.Item>
          <Descriptions.Item label={t('org.f.district')}>{labels.district(c.district)}</Descriptions.Item>
          <Descriptions.Item label={t('org.f.address')} span={2}>
            {c.address}
          </Descriptions.Item>
          <Descriptions.Item label={t('org.f.location')}>
            {c.location
              ? `${c.location.lon.toFixed(4)}, ${c.location.lat.toFixed(4)} (${c.location.coordSystem})`
              : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('org.f.categories')}>
            {c.serviceCategories.map((s) => (
              <Tag key={s}>{labels.category(s)}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('org.f.contactName')}>{c.contactName}</Descriptions.Item>
          <Descriptions.Item label={t('org.f.contactPhone')}>{c.contactPhone}</Descriptions.Item>
          <Descriptions.Item label={t('org.f.licence')} span={2}>
            {c.licence ? (
              <a href={licenceUrl(c.id)} target="_blank" rel="noreferrer">
                {t('org.profile.viewLicence')} ({formatTime(c.licence.uploadedAt, locale)})
              </a>
            ) : (
              t('org.profile.noLicence')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('org.f.description')} span={2}>
            {c.description}
          </Descriptions.Item>
        </Descriptions>

        {editable && (
          <Space wrap style={{ marginTop: 16 }}>
            <Upload
              accept={ACCEPT}
              showUploadList={false}
              beforeUpload={(file) => {
                if (file.size > MAX_BYTES) {
                  message.error(t('org.profile.tooLarge'));
                  return Upload.LIST_IGNORE;
                }
                upload.mutate(file, { onSuccess: () => message.success(t('org.profile.uploaded')) });
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={upload.isPending}>
                {c.licence ? t('org.profile.replaceLicence') : t('org.profile.uploadLicence')}
              </Button>
            </Upload>
            <Button onClick={() => setEditing((e) => !e)}>{t('org.profile.edit')}</Button>
            <Button
              type="primary"
              disabled={!c.licence}
              loading={submit.isPending}
              onClick={() =>
                submit.mutate(undefined, { onSuccess: () => message.success(t('org.profile.submitted')) })
              }
            >
              {c.applicationStatus === 'needs_more_info'
                ? t('org.profile.resubmit')
                : t('org.profile.submit')}
            </Button>
          </Space>
        )}
        <ErrorAlert error={upload.error ?? submit.error} className="form-alert" />
      </Card>

      {editable && editing && (
        <Card title={t('org.profile.edit')} style={{ marginTop: 16 }}>
          <CompanyForm
            initial={c}
            submitLabel={t('org.profile.save')}
            pending={update.isPending}
            error={update.error}
            onSubmit={(input) =>
              update.mutate(input, {
                onSuccess: () => {
                  message.success(t('org.profile.savedEdit'));
                  setEditing(false);
                },
              })
            }
          />
        </Card>
      )}

      <Card title={t('org.profile.history')} style={{ marginTop: 16 }}>
        <Timeline
          items={c.reviews.map((r) => ({
            children: (
              <>
                <strong>{t(`org.action.${r.action}` as MessageKey)}</strong> · {formatTime(r.at, locale)}
                {r.reason && <div>{r.reason}</div>}
              </>
            ),
          }))}
        />
      </Card>
    </div>
  );
}
