import { Card } from 'antd';
import { Route, Routes, useLocation, useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ContractDetailView } from '../ContractDetailView';
import { ContractList } from '../ContractList';
import { useMyContracts } from '../contracts.api';

/** /resident/contracts and /worker/contracts: my contracts and a contract's page (preview, edit, sign). */
export default function PartyContractsSection() {
  return (
    <Routes>
      <Route index element={<MyContracts />} />
      <Route path=":id" element={<One />} />
    </Routes>
  );
}

/** The console this section sits in (`/resident` or `/worker`). */
function useBase() {
  return `/${useLocation().pathname.split('/')[1]}/contracts`;
}

function MyContracts() {
  const t = useT();
  useDocumentTitle(t('contracts.mine.title'));
  const q = useMyContracts();
  const base = useBase();
  return (
    <div className="console-page contract-page">
      <Card title={t('contracts.mine.title')}>
        <ContractList q={q} linkTo={(c) => `${base}/${c.id}`} />
      </Card>
    </div>
  );
}

function One() {
  const t = useT();
  const { id = '' } = useParams();
  const base = useBase();
  // A phone has no browser back button on screen once installed as a PWA: the page offers its own way back.
  return (
    <>
      <BackLink to={base}>{t('contracts.back')}</BackLink>
      <ContractDetailView id={id} linkBase={base} />
    </>
  );
}
