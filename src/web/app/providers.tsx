import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Grid } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ReactNode, useState } from 'react';
import { I18nProvider, useLocale } from '../shared/i18n';
import { createQueryClient } from './queryClient';
import { ElderModeProvider, useElderMode } from '../shared/ui/elder-mode';
import { elderTheme, theme } from './theme';

function AntdConfig({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  const screens = Grid.useBreakpoint();
  // Phones get the large control size everywhere so every tap target is at least 44 px tall.
  const phone = !screens.md;
  const { elder } = useElderMode();
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={elder ? elderTheme : theme}
      componentSize={phone || elder ? 'large' : 'middle'}
      // "登录" not "登 录": the extra space also changes what screen readers and tests see.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nProvider>
      <ElderModeProvider>
        <QueryClientProvider client={queryClient}>
          <AntdConfig>{children}</AntdConfig>
        </QueryClientProvider>
      </ElderModeProvider>
    </I18nProvider>
  );
}
