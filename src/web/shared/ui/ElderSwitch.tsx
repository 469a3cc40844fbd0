import { FontSizeOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useT } from '../i18n';
import { useElderMode } from './elder-mode';

/** Turns the elderly-friendly mode (长辈模式) on or off; a toggle button, so screen readers hear its state. */
export function ElderSwitch({ showLabel = true }: { showLabel?: boolean }) {
  const t = useT();
  const { elder, setElder } = useElderMode();
  return (
    <Button
      type={elder ? 'primary' : 'text'}
      ghost={elder}
      className="tap header-btn elder-switch"
      icon={<FontSizeOutlined />}
      aria-pressed={elder}
      aria-label={t('elder.switch')}
      title={elder ? t('elder.on') : t('elder.off')}
      onClick={() => setElder(!elder)}
    >
      {showLabel ? t('elder.label') : null}
    </Button>
  );
}
