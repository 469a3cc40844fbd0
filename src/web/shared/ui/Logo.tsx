import { Link } from 'react-router-dom';
import { useT } from '../i18n';

/** The brand mark and name; links home. */
export function Logo({ to = '/', variant = 'full' }: { to?: string; variant?: 'full' | 'compact' | 'mark' }) {
  const t = useT();
  return (
    // The accessible name holds the visible words (WCAG 2.5.3 label in name), tagline included when it is shown.
    <Link
      to={to}
      className="brand"
      aria-label={`${t('app.name')}${variant === 'full' ? ` ${t('app.tagline')}` : ''} · ${t('nav.home')}`}
    >
      <svg className="brand-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect width="64" height="64" rx="14" fill="currentColor" />
        <path d="M32 12 14 20v11c0 11 7.7 19.7 18 22 10.3-2.3 18-11 18-22V20z" fill="#fff" />
        <path
          d="m24 32 6 6 11-12"
          fill="none"
          stroke="currentColor"
          strokeWidth="5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      {variant !== 'mark' && <span className="brand-name">{t('app.name')}</span>}
      {variant === 'full' && <span className="brand-tagline">{t('app.tagline')}</span>}
    </Link>
  );
}
