import { DownOutlined, LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useLogout } from '../../features/identity/identity.api';
import type { Me } from '../../features/identity/identity.types';
import { useLocale, useT } from '../../shared/i18n';
import { audiencesFor } from '../audiences';

/** The signed-in person's menu: who they are, their consoles, and sign-out. */
export function UserMenu({ me, showName = true }: { me: Me; showName?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const logout = useLogout();

  const onLogout = () => {
    logout.mutate(undefined, {
      onSuccess: (forget) => {
        // Leave the console (committed now, not in a transition) before the guard can see "no session".
        navigate('/', { replace: true, flushSync: true });
        forget();
        message.success(t('nav.loggedOut'));
      },
      onError: (e) => message.error(e.localized(locale)),
    });
  };

  const consoles = audiencesFor(me.roles);
  const items: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <div className="user-menu-who">
          <strong>{me.name}</strong>
          <span className="muted small">{me.phoneMasked}</span>
        </div>
      ),
    },
    { type: 'divider' },
    ...(consoles.length > 0
      ? [
          {
            type: 'group' as const,
            key: 'consoles',
            label: t('nav.consoles'),
            children: consoles.map((a) => ({
              key: `console:${a.path}`,
              icon: a.icon,
              label: t(a.title),
              onClick: () => navigate(a.path),
            })),
          },
          { type: 'divider' as const },
        ]
      : []),
    {
      key: 'security',
      icon: <SafetyOutlined />,
      label: t('nav.accountSecurity'),
      onClick: () => navigate('/account/security'),
    },
    { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), onClick: onLogout, danger: true },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" className="tap header-btn user-trigger" loading={logout.isPending}>
        {/* The accessible name comes from what is shown plus a hidden word, so it always contains the visible text
            (WCAG 2.5.3 label in name); an aria-label would replace it. */}
        <Avatar size={32} className="user-avatar" icon={me.name ? undefined : <UserOutlined />}>
          {me.name.slice(0, 1)}
        </Avatar>
        {showName && <span className="user-name">{me.name}</span>}
        <span className="sr-only">{t('nav.userMenu')}</span>
        {showName && <DownOutlined className="user-caret" aria-hidden />}
      </Button>
    </Dropdown>
  );
}
