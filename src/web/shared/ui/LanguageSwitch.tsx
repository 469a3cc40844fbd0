import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useLocale, useT } from '../i18n';

/** One tap toggles between 中文 and English; the choice is remembered on this device. */
export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const t = useT();
  const next = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button
      type="text"
      className="tap header-btn"
      icon={<GlobalOutlined />}
      aria-label={`${t('lang.switch')}: ${t('lang.other')}`}
      lang={next}
      onClick={() => setLocale(next)}
    >
      {t('lang.other')}
    </Button>
  );
}
