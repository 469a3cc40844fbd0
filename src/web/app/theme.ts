import type { ThemeConfig } from 'antd';

// A calm teal: reads as "care" and "trust", and keeps 5.2:1 contrast with white text on buttons.
export const brandColor = '#0b7a6a';

const fontFamily = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'Noto Sans SC'",
  "'Source Han Sans SC'",
  "'Segoe UI'",
  'Roboto',
  "'Helvetica Neue'",
  'Arial',
  'sans-serif',
].join(', ');

const reduceMotion =
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

export const theme: ThemeConfig = {
  cssVar: true,
  token: {
    colorPrimary: brandColor,
    colorInfo: brandColor,
    colorLink: brandColor,
    colorSuccess: '#2e8b57',
    colorWarning: '#d48806',
    colorError: '#cf1322',
    colorBgLayout: '#f3f7f6',
    // antd's 45 % black for hints and waiting steps is 4.0:1 on white; 62 % gives 5.9:1 (WCAG AA 1.4.3).
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    borderRadius: 10,
    fontFamily,
    // Touch targets: 40 px controls by default, 44 px for the large size used on phones and forms.
    controlHeight: 40,
    controlHeightLG: 44,
    controlHeightSM: 32,
    motion: !reduceMotion,
  },
  components: {
    Layout: {
      headerBg: '#ffffff',
      headerHeight: 56,
      headerPadding: '0 16px',
      siderBg: '#ffffff',
      bodyBg: '#f3f7f6',
      footerBg: '#0f2e2a',
    },
    Menu: {
      itemHeight: 44,
      itemBorderRadius: 8,
      itemSelectedBg: '#e3f2ef',
      itemSelectedColor: brandColor,
      itemMarginInline: 8,
      activeBarBorderWidth: 0,
    },
    Card: { borderRadiusLG: 14 },
  },
};

/**
 * 适老化 mode, after the national 适老化 guidelines (GB/T 37668 and the MIIT web 适老化 rules): body text at
 * least 18 px, controls 52 px tall, near-black text on white for contrast well above 7:1, stronger borders.
 */
export const elderTheme: ThemeConfig = {
  ...theme,
  token: {
    ...theme.token,
    fontSize: 18,
    fontSizeLG: 20,
    fontSizeSM: 16,
    fontSizeHeading1: 34,
    fontSizeHeading2: 28,
    fontSizeHeading3: 24,
    fontSizeHeading4: 21,
    lineHeight: 1.7,
    controlHeight: 52,
    controlHeightLG: 56,
    controlHeightSM: 44,
    colorText: '#000000',
    colorTextSecondary: '#262626',
    colorTextTertiary: '#3d3d3d',
    colorTextDescription: '#262626',
    colorBorder: '#595959',
    colorPrimary: '#06564b',
    colorLink: '#06564b',
    colorError: '#a8071a',
    colorWarning: '#874d00',
    colorSuccess: '#135200',
  },
  components: {
    ...theme.components,
    Menu: { ...theme.components?.Menu, itemHeight: 56, iconSize: 22, itemSelectedColor: '#06564b' },
  },
};
