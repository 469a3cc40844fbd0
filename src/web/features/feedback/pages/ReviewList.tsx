import { Button, Empty, List } from 'antd';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { ReviewActions, ReviewCard } from '../components';
import { useMyReviews } from '../feedback.api';

/** Reviews I wrote, or reviews about me (with reply and report). */
export function MyReviewList({ about }: { about: boolean }) {
  const t = useT();
  const q = useMyReviews(about);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ErrorAlert error={q.error} />
      <List
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: <Empty description={t('feedback.reviews.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        renderItem={(r) => (
          <List.Item>
            <ReviewCard r={r} actions={about ? <ReviewActions r={r} canReply /> : null} />
          </List.Item>
        )}
      />
      {q.hasNextPage ? (
        <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('feedback.more')}
        </Button>
      ) : null}
    </>
  );
}
