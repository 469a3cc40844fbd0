import { AppstoreOutlined, HomeOutlined, MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useOutletContext } from 'react-router-dom';
import type { Me } from '../../features/identity/identity.types';
import { useT } from '../../shared/i18n';
import { readPrefs, writePrefs } from '../../shared/prefs';
import { ElderSwitch } from '../../shared/ui/ElderSwitch';
import { useElderMode } from '../../shared/ui/elder-mode';
import { LanguageSwitch } from '../../shared/ui/LanguageSwitch';
import { Logo } from '../../shared/ui/Logo';
import { NotificationBell } from '../../features/notifications/NotificationBell';
import { PageLoader } from '../../shared/ui/PageLoader';
import { type Audience, sectionPath } from '../audiences';
import { UserMenu } from './UserMenu';
import { TotpEnrolmentBanner } from '../../features/identity/components/TotpEnrolmentBanner';

const { Header, Sider, Content } = Layout;

export interface ConsoleContext {
  audience: Audience;
  me: Me;
}

/** The console and signed-in person, for pages rendered inside a ConsoleLayout. */
export const useConsole = (): ConsoleContext => useOutletContext<ConsoleContext>();

// How many sections fit in the phone tab bar next to "home" and "more" (fewer, larger ones in 长辈模式).
const TAB_SECTIONS = 3;
const ELDER_TAB_SECTIONS = 2;

function useSelectedKey(audience: Audience): string {
  const { pathname } = useLocation();
  const rest = pathname.slice(audience.path.length).replace(/^\//, '');
  return rest.split('/')[0] ?? '';
}

function ConsoleMenu({ audience, onNavigate }: { audience: Audience; onNavigate?: () => void }) {
  const t = useT();
  const selected = useSelectedKey(audience);
  const items: MenuProps['items'] = [
    {
      key: '',
      icon: <HomeOutlined />,
      label: (
        <Link to={audience.path} onClick={onNavigate}>
          {t('console.overview')}
        </Link>
      ),
    },
    ...audience.sections.map((s) => ({
      key: s.key,
      icon: s.icon,
      label: (
        <Link to={sectionPath(audience, s)} onClick={onNavigate}>
          {t(s.label)}
        </Link>
      ),
    })),
  ];
  return <Menu mode="inline" items={items} selectedKeys={[selected]} className="console-menu" />;
}

function TabBar({ audience, onMore }: { audience: Audience; onMore: () => void }) {
  const t = useT();
  const { elder } = useElderMode();
  const tabs = [
    { to: audience.path, icon: <HomeOutlined />, label: t('nav.home'), end: true },
    ...audience.sections.slice(0, elder ? ELDER_TAB_SECTIONS : TAB_SECTIONS).map((s) => ({
      to: sectionPath(audience, s),
      icon: s.icon,
      label: t(s.label),
      end: false,
    })),
  ];
  return (
    <nav className="tabbar" aria-label={t('nav.mainNav')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end} className="tabbar-item">
          <span className="tabbar-icon" aria-hidden>
            {tab.icon}
          </span>
          <span className="tabbar-label">{tab.label}</span>
        </NavLink>
      ))}
      <button type="button" className="tabbar-item" onClick={onMore} aria-haspopup="dialog">
        <span className="tabbar-icon" aria-hidden>
          <AppstoreOutlined />
        </span>
        <span className="tabbar-label">{t('nav.more')}</span>
      </button>
    </nav>
  );
}

/** The frame of every console: side menu on desktop, header + bottom tab bar + drawer on phones. */
export function ConsoleLayout({ audience, me }: { audience: Audience; me: Me }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { elder } = useElderMode();
  const [collapsedPref, setCollapsed] = useState(() => readPrefs().siderCollapsed);
  // Icons alone are a puzzle for older eyes: 长辈模式 always shows the menu with its words.
  const collapsed = collapsedPref && !elder;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const toggle = () => {
    setCollapsed((c) => {
      writePrefs({ siderCollapsed: !c });
      return !c;
    });
  };

  const content = (
    <Content id="main" className="console-content" tabIndex={-1}>
      <TotpEnrolmentBanner />
      <Suspense fallback={<PageLoader />}>
        <Outlet context={{ audience, me } satisfies ConsoleContext} />
      </Suspense>
    </Content>
  );

  if (phone) {
    return (
      <Layout className={`console console-${audience.key} is-phone`}>
        <a className="skip-link" href="#main">
          {t('app.skipToContent')}
        </a>
        <Header className="console-header">
          <Logo variant="mark" to={audience.path} />
          <span className="console-title">{t(audience.title)}</span>
          <span className="spacer" />
          <NotificationBell />
          <ElderSwitch showLabel={false} />
          <LanguageSwitch />
          <UserMenu me={me} showName={false} />
        </Header>
        {content}
        <TabBar audience={audience} onMore={() => setDrawerOpen(true)} />
        <Drawer
          title={t(audience.title)}
          placement="bottom"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          height="auto"
          className="console-drawer"
        >
          <nav aria-label={t('nav.mainNav')}>
            <ConsoleMenu audience={audience} onNavigate={() => setDrawerOpen(false)} />
          </nav>
        </Drawer>
      </Layout>
    );
  }

  return (
    <Layout className={`console console-${audience.key}`} hasSider>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Sider
        width={232}
        collapsedWidth={72}
        collapsed={collapsed}
        trigger={null}
        theme="light"
        className="console-sider"
      >
        <div className="sider-brand">
          <Logo variant={collapsed ? 'mark' : 'compact'} to={audience.path} />
        </div>
        <nav aria-label={t('nav.mainNav')}>
          <ConsoleMenu audience={audience} />
        </nav>
      </Sider>
      <Layout>
        <Header className="console-header">
          {elder ? null : (
            <Button
              type="text"
              className="tap header-btn"
              onClick={toggle}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
              aria-expanded={!collapsed}
            />
          )}
          <span className="console-title">
            {audience.icon} {t(audience.title)}
          </span>
          <span className="spacer" />
          <NotificationBell />
          <ElderSwitch />
          <LanguageSwitch />
          <UserMenu me={me} />
        </Header>
        {content}
      </Layout>
    </Layout>
  );
}
