import { Card, Tabs } from 'antd';
import { Route, Routes, useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ComplaintDetailView } from '../components';
import { ComplaintList } from './ComplaintList';
import { MyReviewList } from './ReviewList';

/** /resident/feedback: my complaints and their progress, my reviews, and employers' reviews of me. */
export default function ResidentFeedbackSection() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path=":id" element={<Detail back="/resident/feedback" />} />
    </Routes>
  );
}

export function Detail({ back }: { back: string }) {
  const t = useT();
  const { id = '' } = useParams();
  useDocumentTitle(t('feedback.complaint.title'));
  return (
    <div className="console-page">
      <BackLink to={back}>{t('feedback.back')}</BackLink>
      <div style={{ marginTop: 8 }}>
        <ComplaintDetailView id={id} />
      </div>
    </div>
  );
}

function Home() {
  const t = useT();
  useDocumentTitle(t('sec.resident.feedback'));
  return (
    <div className="console-page">
      <Card title={t('sec.resident.feedback')}>
        <p className="muted small">{t('feedback.resident.hint')}</p>
        <Tabs
          items={[
            {
              key: 'complaints',
              label: t('feedback.tab.complaints'),
              children: <ComplaintList scope={{ kind: 'mine' }} />,
            },
            { key: 'reviews', label: t('feedback.tab.myReviews'), children: <MyReviewList about={false} /> },
            { key: 'about', label: t('feedback.tab.aboutMe'), children: <MyReviewList about /> },
          ]}
        />
      </Card>
    </div>
  );
}
