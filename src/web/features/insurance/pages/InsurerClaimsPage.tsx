import { useState } from 'react';
import { Route, Routes, useParams } from 'react-router-dom';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { ClaimTable, ClaimView } from '../components';
import { useClaims } from '../insurance.api';
import type { ClaimState } from '../insurance.types';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

const states: ClaimState[] = [
  'reported',
  'under_review',
  'info_requested',
  'approved',
  'paid',
  'rejected',
  'withdrawn',
];

/** /insurer/claims: the claims queue with SLA timers, and each claim's page. */
export default function InsurerClaimsSection() {
  return (
    <Routes>
      <Route index element={<Queue />} />
      <Route path=":id" element={<One />} />
    </Routes>
  );
}

function One() {
  const { id = '' } = useParams();
  return (
    <div className="console-page insurance-page">
      <ClaimView id={id} backTo="/insurer/claims" />
    </div>
  );
}

function Queue() {
  const t = useT();
  useDocumentTitle(t('sec.insurer.claims'));
  const me = useMe().data;
  const orgId = me?.memberships.find((m) => m.orgType === 'insurer')?.orgId;
  const [state, setState] = useState<ClaimState | 'all'>('all');
  const list = useClaims({ kind: 'insurer', orgId }, state === 'all' ? undefined : state);
  return (
    <div className="console-page insurance-page">
      <h1>{t('insurance.claims.queue')}</h1>
      <FilterSegmented
        label={t('insurance.claims.filterLabel')}
        style={{ marginBottom: 12 }}
        value={state}
        onChange={(v) => setState(v as ClaimState | 'all')}
        options={[
          { value: 'all', label: t('insurance.all') },
          ...states.map((s) => ({ value: s, label: t(`insurance.claimState.${s}` as MessageKey) })),
        ]}
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : (
        <ClaimTable claims={list.data.items} linkTo={(c) => `/insurer/claims/${c.id}`} />
      )}
    </div>
  );
}
