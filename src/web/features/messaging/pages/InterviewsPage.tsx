import { Button, Card, Empty, List, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useInterviews } from '../messaging.api';
import { formatTime, useMessagesBase } from '../util';
import '../messaging.css';

const stateColor = {
  scheduled: 'blue',
  in_progress: 'green',
  completed: 'default',
  cancelled: 'red',
} as const;

/** Video interviews I organize or take part in. Scheduling starts from a conversation. */
export default function InterviewsPage() {
  const t = useT();
  const { locale } = useLocale();
  const baseUrl = useMessagesBase();
  useDocumentTitle(t('messaging.interviews.title'));
  const q = useInterviews();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="console-page messaging-page">
      <Card
        title={t('messaging.interviews.title')}
        extra={<BackLink to={baseUrl}>{t('messaging.back')}</BackLink>}
      >
        {q.error ? <ErrorAlert error={q.error} /> : null}
        <p className="messaging-time">{t('messaging.interviews.hint')}</p>
        <List
          loading={q.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('messaging.interviews.empty')} /> }}
          renderItem={(i) => (
            <List.Item
              actions={[
                <Link key="open" to={`${baseUrl}/interviews/${i.id}`}>
                  <Button size="small" type={i.canJoinRoom ? 'primary' : 'default'}>
                    {i.canJoinRoom ? t('messaging.interview.enter') : t('messaging.interview.view')}
                  </Button>
                </Link>,
              ]}
            >
              <List.Item.Meta
                title={
                  <span>
                    {i.myParty === 'worker' ? i.organizer.company?.name || i.organizer.name : i.worker.name}{' '}
                    <Tag color={stateColor[i.state]}>{t(`messaging.interview.state.${i.state}`)}</Tag>
                  </span>
                }
                description={`${formatTime(i.scheduledAt, locale)} · ${i.durationMinutes} ${t('messaging.interview.min')}`}
              />
            </List.Item>
          )}
        />
        {q.hasNextPage ? (
          <Button block onClick={() => q.fetchNextPage()}>
            {t('messaging.more')}
          </Button>
        ) : null}
      </Card>
    </div>
  );
}
