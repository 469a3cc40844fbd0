import { PaperClipOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDate } from '../../shared/ui/format';
import { formatDateTime } from '../content/datetime';
import { PageLoader } from '../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { usePublicContent } from '../content/content.api';
import { type ContentCategory, contentCategories } from '../content/content.types';
import { categoryLabel } from './shared';
import './portal.css';

const isCategory = (c: string | null): c is ContentCategory =>
  c !== null && (contentCategories as readonly string[]).includes(c);

/** /news: published news, policies, notices and standards by category, with the portal's search. */
export default function NewsListPage() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const rawCategory = params.get('category');
  const category = isCategory(rawCategory) ? rawCategory : undefined;
  const q = params.get('q')?.trim().slice(0, 40) || undefined;
  useDocumentTitle(category ? t(categoryLabel[category]) : t('portal.newsPage.title'));
  const list = usePublicContent({ category, q, limit: 10 });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const link = (c: ContentCategory | undefined) => {
    const p = new URLSearchParams();
    if (c) p.set('category', c);
    if (q) p.set('q', q);
    const s = p.toString();
    return s ? `/news?${s}` : '/news';
  };

  return (
    <div className="news-page">
      <h1>{q ? t('portal.newsPage.results', { q }) : t('portal.newsPage.title')}</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: React 18's JSX types have no <search> element */}
      <form
        className="portal-search"
        role="search"
        aria-label={t('portal.search.label')}
        // A new search starts from the current category.
        onSubmit={(e) => {
          e.preventDefault();
          const next = String(new FormData(e.currentTarget).get('q') ?? '').trim();
          const p = new URLSearchParams();
          if (category) p.set('category', category);
          if (next) p.set('q', next);
          navigate(`/news${p.toString() ? `?${p}` : ''}`);
        }}
      >
        <label htmlFor="news-q" className="sr-only">
          {t('portal.search.label')}
        </label>
        <Input
          id="news-q"
          key={q ?? ''}
          name="q"
          size="large"
          maxLength={40}
          defaultValue={q}
          autoComplete="off"
          placeholder={t('portal.search.placeholder')}
          prefix={<SearchOutlined aria-hidden />}
        />
        <Button type="primary" size="large" htmlType="submit">
          {t('portal.search.submit')}
        </Button>
      </form>
      <nav aria-label={t('portal.news.categories')}>
        <ul className="portal-cats">
          <li>
            <Link to={link(undefined)} aria-current={category ? undefined : 'page'}>
              {t('portal.newsPage.all')}
            </Link>
          </li>
          {contentCategories.map((c) => (
            <li key={c}>
              <Link to={link(c)} aria-current={category === c ? 'page' : undefined}>
                {t(categoryLabel[c])}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : items.length === 0 ? (
        <p className="portal-empty" data-testid="news-empty">
          {q ? t('portal.newsPage.noResults', { q }) : t('portal.newsPage.none')}
        </p>
      ) : (
        <ul className="news-list news-list-full" data-testid="news-list">
          {items.map((i) => (
            <li key={i.slug}>
              <Link to={`/news/${i.slug}`} className="news-title">
                {i.title}
              </Link>
              <p className="news-summary">{i.summary}</p>
              <span className="news-meta">
                <span className={`news-cat news-cat-${i.category}`}>{t(categoryLabel[i.category])}</span>
                <span>{i.authorOrg}</span>
                <time dateTime={i.publishedAt}>{formatDate(i.publishedAt, locale)}</time>
                {i.eventAt && (
                  <span className="news-event">
                    {t('portal.article.eventAt')}{' '}
                    <time dateTime={i.eventAt}>{formatDateTime(i.eventAt, locale)}</time>
                  </span>
                )}
                {i.attachmentCount > 0 && (
                  <span>
                    <PaperClipOutlined aria-hidden />{' '}
                    {t('portal.newsPage.attachments', { n: i.attachmentCount })}
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <Button block size="large" loading={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {t('portal.newsPage.loadMore')}
        </Button>
      )}

      {q && (
        <aside className="portal-find-hint" aria-labelledby="find-hint-title" data-testid="find-hint">
          <h2 id="find-hint-title">{t('portal.newsPage.findTitle')}</h2>
          <p>{t('portal.newsPage.findBody', { q })}</p>
          <p className="portal-find-links">
            <Link to="/resident/find">{t('portal.newsPage.findWorkers')}</Link>
            <Link to="/credit/5a">{t('portal.entry.fiveA')}</Link>
            <Link to={`/verify?number=${encodeURIComponent(q)}`}>{t('portal.newsPage.asCertificate')}</Link>
          </p>
        </aside>
      )}
    </div>
  );
}
