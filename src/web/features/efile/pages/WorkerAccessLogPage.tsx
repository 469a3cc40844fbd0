import { Button, List, Spin, Tag } from 'antd';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDateTime } from '../components';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useAccessLog } from '../efile.api';

/** /worker/access-log: who viewed what of my record, and through what right. */
export default function WorkerAccessLogPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.worker.accessLog'));
  const log = useAccessLog();
  if (log.isLoading) return <Spin />;
  if (log.error) return <ErrorAlert error={log.error} />;
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="console-page">
      <h1>{t('sec.worker.accessLog')}</h1>
      <p className="muted small">{t('efile.log.explain')}</p>
      <List
        dataSource={items}
        locale={{ emptyText: t('efile.log.empty') }}
        renderItem={(i) => (
          <List.Item>
            <List.Item.Meta
              title={
                <span>
                  {i.viewer.maskedName ?? t('efile.log.linkHolder')}
                  {i.viewer.orgName ? ` · ${i.viewer.orgName}` : ''}{' '}
                  <Tag>{t(`efile.role.${i.viewer.role}` as MessageKey)}</Tag>
                </span>
              }
              description={
                <span>
                  {formatDateTime(i.at, locale)} · {t(`efile.what.${i.what}` as MessageKey)} ·{' '}
                  {t(`efile.via.${i.via}` as MessageKey)}
                </span>
              }
            />
          </List.Item>
        )}
      />
      {log.hasNextPage ? (
        <Button onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t('efile.more')}
        </Button>
      ) : null}
    </div>
  );
}
