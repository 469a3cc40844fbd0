import { Card } from 'antd';
import type { ReactNode } from 'react';

/** The centred card every sign-in page sits in. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="auth-page">
      <Card className="auth-card" variant="borderless">
        <h1 className="auth-title">{title}</h1>
        {subtitle && <p className="auth-subtitle">{subtitle}</p>}
        {children}
      </Card>
      {footer && <div className="auth-footer">{footer}</div>}
    </div>
  );
}
