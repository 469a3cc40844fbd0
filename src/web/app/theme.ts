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
