import { DownloadOutlined, LeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../shared/api';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDate } from '../../shared/ui/format';
import { formatDateTime } from '../content/datetime';
import { PageLoader } from '../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { usePublicItem } from '../content/content.api';
import { categoryLabel } from './shared';
import './portal.css';

const fileSize = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** /news/:slug: one published article, policy or notice with its attachments. */
export default function ArticlePage() {
  const t = useT();
  const { locale } = useLocale();
  const { slug } = useParams();
  const q = usePublicItem(slug);
  useDocumentTitle(q.data?.title ?? t('portal.newsPage.title'));

  if (q.isPending) return <PageLoader />;
  if (q.isError)
    return (
      <div className="news-page">
        {isApiError(q.error) && q.error.status === 404 ? (
          <>
            <h1>{t('portal.article.missing')}</h1>
            <p>{t('portal.article.missingBody')}</p>
          </>
        ) : (
          <ErrorAlert error={q.error} />
        )}
        <Link to="/news">{t('portal.article.back')}</Link>
      </div>
    );
  const a = q.data;
  return (
    <article className="news-page article" aria-labelledby="article-title">
      <Link to={`/news?category=${a.category}`} className="article-back">
        <LeftOutlined aria-hidden /> {t(categoryLabel[a.category])}
      </Link>
      <h1 id="article-title">{a.title}</h1>
      <p className="news-meta">
        <span>{a.authorOrg}</span>
        <span>
          {t('portal.article.published')}{' '}
          <time dateTime={a.publishedAt}>{formatDate(a.publishedAt, locale)}</time>
        </span>
        {a.eventAt && (
          <span className="news-event" data-testid="article-event">
            {t('portal.article.eventAt')}{' '}
            <time dateTime={a.eventAt}>{formatDateTime(a.eventAt, locale)}</time>
          </span>
        )}
      </p>
      {a.coverUrl && <img className="article-cover" src={a.coverUrl} alt="" />}
      <div
        className="article-body"
        data-testid="article-body"
        // Safe by construction: the server stores only HTML that passed its sanitize-html allow-list
        // (src/server/modules/content/sanitize.ts), and the CSP forbids inline scripts besides.
        // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized on the server, see above
        dangerouslySetInnerHTML={{ __html: a.bodyHtml }}
      />
      {a.attachments.length > 0 && (
        <section className="article-files" aria-labelledby="files-title">
          <h2 id="files-title">{t('portal.article.attachments')}</h2>
          <ul data-testid="article-attachments">
            {a.attachments.map((f) => (
              <li key={f.id}>
                <a href={f.url} download={f.fileName}>
                  <DownloadOutlined aria-hidden /> {f.fileName}
                </a>
                <span className="muted">{fileSize(f.size)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {a.updatedAt !== a.publishedAt && (
        <p className="portal-note">
          {t('portal.article.updated', { date: formatDate(a.updatedAt, locale) })}
        </p>
      )}
    </article>
  );
}
