import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/**
 * The "back" link at the top of a detail page. A bare text link is 20 px tall, too small to hit with a thumb on a
 * phone; this one is a 44 px tap target (styles.css `.back-link`) and still a real link.
 */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="back-link">
      {children}
    </Link>
  );
}
