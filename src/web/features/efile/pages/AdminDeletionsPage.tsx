import { Button, Input, List, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useAdminDecision, useAdminDeletions } from '../efile.api';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

type State = 'pending' | 'completed' | 'refused';

/** /admin/deletions: workers' deletion requests by deadline; complete (erase) or refuse with a reason. */
export default function AdminDeletionsPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.admin.deletions'));
  const [state, setState] = useState<State>('pending');
  const list = useAdminDeletions(state);
  const decide = useAdminDecision();
  const [refusing, setRefusing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  return (
    <div className="console-page">
      <h1>{t('sec.admin.deletions')}</h1>
      <p className="muted small">{t('efile.admin.explain')}</p>
      <FilterSegmented
        label={t('efile.deletions.filterLabel')}
        value={state}
        onChange={(v) => setState(v as State)}
        options={(['pending', 'completed', 'refused'] as const).map((s) => ({
          value: s,
          label: t(`efile.deletion.state.${s}`),
        }))}
      />
      <ErrorAlert error={list.error ?? decide.error} />
      <List
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('efile.none') }}
        renderItem={(r) => (
          <List.Item
            actions={
              r.state === 'pending'
                ? [
                    <Button
                      key="complete"
                      danger
                      size="small"
                      onClick={() =>
                        Modal.confirm({
                          title: t('efile.admin.confirm'),
                          content: t('efile.admin.erases'),
                          okButtonProps: { danger: true },
                          onOk: () => decide.mutateAsync({ id: r.id, action: 'complete' }),
                        })
                      }
                    >
                      {t('efile.admin.complete')}
                    </Button>,
                    <Button key="refuse" size="small" onClick={() => setRefusing(r.id)}>
                      {t('efile.admin.refuse')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space direction="vertical" size={0}>
              <span>
                {r.workerMaskedName ?? r.workerId}{' '}
                {r.overdue ? <Tag color="error">{t('efile.admin.overdue')}</Tag> : null}
              </span>
              <span className="muted small">
                {formatDate(r.createdAt, locale)} ·{' '}
                {t('efile.deletion.due', { date: formatDate(r.dueOn, locale) })} · {r.reason}
              </span>
              {r.decisionReason ? <span className="muted small">{r.decisionReason}</span> : null}
            </Space>
          </List.Item>
        )}
      />
      <Modal
        open={!!refusing}
        title={t('efile.admin.refuse')}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: decide.isPending }}
        onCancel={() => setRefusing(null)}
        onOk={async () => {
          await decide.mutateAsync({ id: refusing!, action: 'refuse', reason: reason.trim() });
          setRefusing(null);
          setReason('');
        }}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-label={t('efile.admin.refuse')}
        />
      </Modal>
    </div>
  );
}
