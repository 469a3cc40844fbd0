import { Card, Empty, Table, Tabs } from 'antd';
import { Link } from 'react-router-dom';
import '../credit.css';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { usePublicList } from '../credit.api';

/** /credit/blacklist (public): the black (失信) and red (守信) lists with reasons and dates. */
export default function ListsPage() {
  const t = useT();
  useDocumentTitle(t('credit.lists.title'));
  return (
    <Card className="credit-public">
      <h1>{t('credit.lists.title')}</h1>
      <Tabs
        items={[
          { key: 'black', label: t('credit.list.black'), children: <OneList list="black" /> },
          { key: 'red', label: t('credit.list.red'), children: <OneList list="red" /> },
        ]}
      />
      <p>
        <Link to="/credit/5a">{t('credit.fiveA.title')}</Link>
      </p>
    </Card>
  );
}

function OneList({ list }: { list: 'red' | 'black' }) {
  const t = useT();
  const { locale } = useLocale();
  const q = usePublicList(list);
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (!q.data.items.length) return <Empty description={t('credit.lists.none')} />;
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: true }}
      dataSource={q.data.items}
      columns={[
        { title: t('credit.name'), dataIndex: 'name' },
        {
          title: t('credit.subjectKind'),
          dataIndex: 'subjectType',
          render: (s: 'worker' | 'company') => t(`credit.subject.${s}`),
        },
        { title: t('credit.list.reason'), dataIndex: 'reason' },
        { title: t('credit.date'), dataIndex: 'listedAt', render: (d: string) => formatDate(d, locale) },
      ]}
    />
  );
}
