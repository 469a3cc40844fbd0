import { Card, Tabs } from 'antd';
import { Route, Routes } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMyCompanyId } from '../../orders/pages/CompanyOrdersPage';
import { ComplaintList } from './ComplaintList';
import { Detail } from './ResidentFeedbackPage';
import { MyReviewList } from './ReviewList';

/** /company/complaints: the complaint inbox with SLA timers, and reviews of the company (reply). */
export default function CompanyComplaintsSection() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path=":id" element={<Detail back="/company/complaints" />} />
    </Routes>
  );
}

function Home() {
  const t = useT();
  const orgId = useMyCompanyId();
  useDocumentTitle(t('sec.company.complaints'));
  if (!orgId) return <Card>{t('feedback.company.none')}</Card>;
  return (
    <div className="console-page">
      <Card title={t('sec.company.complaints')}>
        <p className="muted small">{t('feedback.company.hint')}</p>
        <Tabs
          items={[
            {
              key: 'inbox',
              label: t('feedback.tab.inbox'),
              children: <ComplaintList scope={{ kind: 'company', orgId }} />,
            },
            { key: 'reviews', label: t('feedback.tab.companyReviews'), children: <MyReviewList about /> },
          ]}
        />
      </Card>
    </div>
  );
}
