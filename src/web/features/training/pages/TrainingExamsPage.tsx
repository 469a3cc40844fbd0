import '../training.css';
import { useT } from '../../../shared/i18n';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ExamsManager } from '../components';

/** /training/exams: question banks with spreadsheet import, exams drawn by rules, results. */
export default function TrainingExamsPage() {
  const t = useT();
  useDocumentTitle(t('sec.training.exams'));
  return (
    <div className="console-page training-page">
      <h1>{t('sec.training.exams')}</h1>
      <ExamsManager regulator={false} />
    </div>
  );
}
