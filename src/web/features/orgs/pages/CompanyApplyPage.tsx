import { Alert, App, Card, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { ButtonLink } from '../../../shared/ui/ButtonLink';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { CompanyForm } from '../components/CompanyForm';
import { useApply } from '../orgs.api';

/** 企业入驻申请: any signed-in person starts a company application, then uploads the licence and submits. */
export default function CompanyApplyPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const me = useMe().data;
  const apply = useApply();
  useDocumentTitle(t('org.apply.title'));
  const existing = me?.memberships.find((m) => m.orgType === 'company' && m.role === 'admin');

  return (
    <div className="console-page">
      <Card title={t('org.apply.title')} style={{ maxWidth: 720 }}>
        <Typography.Paragraph type="secondary">{t('org.apply.intro')}</Typography.Paragraph>
        {existing && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('org.apply.existing', { name: existing.orgName })}
            action={
              <ButtonLink to="/company/profile" size="small">
                {t('org.apply.toProfile')}
              </ButtonLink>
            }
          />
        )}
        <CompanyForm
          submitLabel={t('org.apply.save')}
          pending={apply.isPending}
          error={apply.error}
          onSubmit={(input) =>
            apply.mutate(input, {
              onSuccess: () => {
                message.success(t('org.apply.saved'));
                navigate('/company/profile');
              },
            })
          }
        />
      </Card>
    </div>
  );
}
