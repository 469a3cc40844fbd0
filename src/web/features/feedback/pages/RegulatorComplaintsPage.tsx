import { App, Button, Card, Empty, Input, List, Modal, Radio, Space, Statistic, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ReviewCard } from '../components';
import { useComplaintSummary, useModerationQueue, useReviewAction } from '../feedback.api';
import type { ModerationItem } from '../feedback.types';
import { ComplaintList } from './ComplaintList';
import { Detail } from './ResidentFeedbackPage';

/** /regulator/complaints: the supervision board (escalated, overdue, decisions) and review moderation. */
export default function RegulatorComplaintsSection() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path=":id" element={<Detail back="/regulator/complaints" />} />
    </Routes>
  );
}

function Home() {
  const t = useT();
  useDocumentTitle(t('sec.regulator.complaints'));
  const s = useComplaintSummary();
  return (
    <div className="console-page">
      <Card title={t('sec.regulator.complaints')}>
        <div className="feedback-summary" data-testid="complaint-summary">
          {(['filed', 'escalated', 'investigating', 'upheld'] as const).map((k) => (
            <Statistic
              key={k}
              title={t(`feedback.state.${k}` as MessageKey)}
              value={s.data?.byState[k] ?? 0}
            />
          ))}
          <Statistic
            title={t('feedback.overdue')}
            value={s.data?.overdue ?? 0}
            valueStyle={{ color: '#cf1322' }}
          />
        </div>
        <Tabs
          items={[
            {
              key: 'board',
              label: t('feedback.tab.board'),
              children: <ComplaintList scope={{ kind: 'regulator' }} initial="all" />,
            },
            { key: 'moderation', label: t('feedback.tab.moderation'), children: <Moderation /> },
          ]}
        />
      </Card>
    </div>
  );
}

function Moderation() {
  const t = useT();
  const q = useModerationQueue();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ErrorAlert error={q.error} />
      <List
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: (
            <Empty description={t('feedback.moderation.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ),
        }}
        renderItem={(r) => (
          <List.Item>
            <ReviewCard r={r} actions={<Moderate r={r} />} />
          </List.Item>
        )}
      />
    </>
  );
}

function Moderate({ r }: { r: ModerationItem }) {
  const t = useT();
  const { message } = App.useApp();
  const act = useReviewAction();
  const [open, setOpen] = useState(false);
  const [decision, setDecision] = useState<'publish' | 'hide'>('hide');
  const [reason, setReason] = useState('');
  return (
    <>
      <Space wrap size={4} style={{ marginTop: 4 }}>
        {r.flagReason ? <Tag color="orange">{t(`feedback.flag.${r.flagReason}` as MessageKey)}</Tag> : null}
        {r.reports.map((p) => (
          <Tag key={p.id} color="red">
            {t('feedback.reported', { reason: p.reason })}
          </Tag>
        ))}
        <Button size="small" onClick={() => setOpen(true)}>
          {t('feedback.moderate')}
        </Button>
      </Space>
      <Modal
        open={open}
        title={t('feedback.moderate')}
        onCancel={() => setOpen(false)}
        confirmLoading={act.isPending}
        okButtonProps={{ disabled: !reason.trim() }}
        onOk={async () => {
          try {
            await act.mutateAsync({ id: r.id, kind: 'moderate', body: { decision, reason } });
            message.success(t('feedback.step.done'));
            setOpen(false);
          } catch {
            // shown below
          }
        }}
      >
        <ErrorAlert error={act.error} />
        <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value)}>
          <Radio value="publish">{t('feedback.moderate.publish')}</Radio>
          <Radio value="hide">{t('feedback.moderate.hide')}</Radio>
        </Radio.Group>
        <Input.TextArea
          rows={3}
          style={{ marginTop: 8 }}
          maxLength={500}
          placeholder={t('feedback.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
