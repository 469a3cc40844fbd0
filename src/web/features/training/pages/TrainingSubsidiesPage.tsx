import '../training.css';
import { useT } from '../../../shared/i18n';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { SubsidyReportView } from '../components';

/** /training/subsidies: my institution's enrolments, completions, hours, pass rate and subsidy for a period. */
export default function TrainingSubsidiesPage() {
  const t = useT();
  useDocumentTitle(t('sec.training.subsidies'));
  return (
    <div className="console-page training-page">
      <h1>{t('sec.training.subsidies')}</h1>
      <p className="muted small">{t('training.subsidyExplain')}</p>
      <SubsidyReportView />
    </div>
  );
}
