import { MessageOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../shared/i18n';
import { useOpenConversation } from './messaging.api';
import type { OpenInput } from './messaging.types';

/**
 * "联系 / Message": opens (or finds) the conversation for a worker profile, an order or a demand offer and goes
 * there. `audience` is the console the conversation page lives in.
 */
export function MessageButton({
  input,
  audience = 'resident',
  size,
}: {
  input: OpenInput;
  audience?: 'resident' | 'worker' | 'company';
  size?: 'small' | 'middle';
}) {
  const t = useT();
  const navigate = useNavigate();
  const open = useOpenConversation();
  return (
    <Button
      icon={<MessageOutlined />}
      size={size}
      loading={open.isPending}
      danger={open.isError}
      onClick={async () => {
        const c = await open.mutateAsync(input);
        navigate(`/${audience}/messages/${c.id}`);
      }}
    >
      {t('messaging.contact')}
    </Button>
  );
}
