import { App, Button, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { PolicyTable } from '../components';
import { useConfirmPolicies, usePolicies, usePolicyStep } from '../insurance.api';
import type { Policy, PolicyState } from '../insurance.types';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

const states: PolicyState[] = ['pending', 'active', 'expired', 'rejected', 'cancelled'];

/** /insurer/insured: enrolments waiting for confirmation (承保) and every policy underwritten. */
export default function InsurerInsuredPage() {
  const t = useT();
  useDocumentTitle(t('sec.insurer.insured'));
  const me = useMe().data;
  const orgId = me?.memberships.find((m) => m.orgType === 'insurer')?.orgId;
  const [state, setState] = useState<PolicyState>('pending');
  const list = usePolicies({ kind: 'insurer', orgId }, state);
  const confirm = useConfirmPolicies(orgId ?? '');
  const step = usePolicyStep();
  const [selected, setSelected] = useState<string[]>([]);
  const [rejecting, setRejecting] = useState<Policy | null>(null);
  const [reason, setReason] = useState('');
  const { message } = App.useApp();
  if (!orgId) return null;
  return (
    <div className="console-page insurance-page">
      <h1>{t('insurance.insured.title')}</h1>
      <Space wrap style={{ marginBottom: 12 }}>
        <FilterSegmented
          label={t('insurance.insured.filterLabel')}
          value={state}
          onChange={(v) => {
            setState(v as PolicyState);
            setSelected([]);
          }}
          options={states.map((s) => ({ value: s, label: t(`insurance.policyState.${s}` as MessageKey) }))}
        />
        {state === 'pending' && (
          <Button
            type="primary"
            disabled={!selected.length}
            loading={confirm.isPending}
            onClick={async () => {
              const r = await confirm.mutateAsync(selected);
              setSelected([]);
              void message.success(t('insurance.insured.confirmed', { n: r.confirmed }));
            }}
          >
            {t('insurance.insured.confirmSelected', { n: selected.length })}
          </Button>
        )}
      </Space>
      {confirm.isError && <ErrorAlert error={confirm.error} />}
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : (
        <PolicyTable
          policies={list.data.items}
          selectable={state === 'pending'}
          selected={selected}
          onSelect={setSelected}
          actions={(p) =>
            p.state === 'pending' ? (
              <Button size="small" danger onClick={() => setRejecting(p)}>
                {t('insurance.policy.reject')}
              </Button>
            ) : null
          }
        />
      )}
      <Modal
        open={!!rejecting}
        title={t('insurance.policy.reject')}
        okButtonProps={{ disabled: !reason.trim(), danger: true }}
        onCancel={() => setRejecting(null)}
        onOk={async () => {
          await step.mutateAsync({ id: rejecting!.id, step: 'reject', reason });
          setRejecting(null);
          setReason('');
        }}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('insurance.reason')}
        />
        {step.isError && <ErrorAlert error={step.error} />}
      </Modal>
    </div>
  );
}
