import { Alert, Button, Card, Modal, Tabs } from 'antd';
import { useState } from 'react';
import { Route, Routes, useNavigate } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ComplaintForm } from '../components';
import { ComplaintList } from './ComplaintList';
import { Detail } from './ResidentFeedbackPage';
import { MyReviewList } from './ReviewList';

/** /worker/feedback: reviews about me (reply), my reviews of employers, my complaints (unpaid wages, ID card withheld …). */
export default function WorkerFeedbackSection() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path=":id" element={<Detail back="/worker/feedback" />} />
    </Routes>
  );
}

function Home() {
  const t = useT();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  useDocumentTitle(t('sec.worker.feedback'));
  return (
    <div className="console-page">
      <Card
        title={t('sec.worker.feedback')}
        extra={<Button onClick={() => setOpen(true)}>{t('feedback.worker.complainCompany')}</Button>}
      >
        <Alert
          type="info"
          showIcon
          className="small"
          message={t('feedback.worker.hint')}
          style={{ marginBottom: 8 }}
        />
        <Tabs
          items={[
            { key: 'about', label: t('feedback.tab.aboutMe'), children: <MyReviewList about /> },
            { key: 'reviews', label: t('feedback.tab.myReviews'), children: <MyReviewList about={false} /> },
            {
              key: 'complaints',
              label: t('feedback.tab.complaints'),
              children: <ComplaintList scope={{ kind: 'mine' }} />,
            },
          ]}
        />
      </Card>
      <Modal
        open={open}
        title={t('feedback.worker.complainCompany')}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnClose
      >
        <ComplaintForm as="worker" onDone={(c) => navigate(c.id)} />
      </Modal>
    </div>
  );
}
