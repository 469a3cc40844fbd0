import {
  EyeInvisibleOutlined,
  EyeOutlined,
  LockOutlined,
  MobileOutlined,
  SafetyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Form, Input } from 'antd';
import type { Rule } from 'antd/es/form';
import type { ComponentProps, ReactNode } from 'react';
import { type Translate, useT } from '../../../shared/i18n';
import { checkPassword, type PasswordProblem } from '../../../../shared/password';
import { isMobile, normalizeMobile } from '../../../../shared/validators/phone';
import type { MessageKey } from '../../../shared/i18n';
import { CODE_PATTERN } from '../identity.types';

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/** The 11-digit form the server stores (people type +86, spaces and full-width digits). */
export const toPhone = (input: string): string => normalizeMobile(input) ?? input.trim();

export const phoneRules = (t: Translate): Rule[] => [
  { required: true, whitespace: true, message: t('auth.phoneRequired') },
  {
    validator: (_rule, value: string | undefined) =>
      !value || isMobile(value) ? Promise.resolve() : Promise.reject(new Error(t('auth.phoneInvalid'))),
  },
];

const passwordMessages: Record<PasswordProblem, MessageKey> = {
  too_short: 'auth.passwordTooShort',
  too_long: 'auth.passwordTooLong',
  needs_letter_and_digit: 'auth.passwordNeedsMix',
  too_common: 'auth.passwordTooCommon',
  contains_phone: 'auth.passwordContainsPhone',
};

/** The same rule the server applies (src/shared/password.ts), checked as the person types. */
export const newPasswordRules = (t: Translate): Rule[] => [
  { required: true, message: t('auth.passwordRequired') },
  ({ getFieldValue }) => ({
    validator: (_rule, value: string | undefined) => {
      if (!value) return Promise.resolve();
      const phone = getFieldValue('phone') as string | undefined;
      const problem = checkPassword(value, { phone: phone ? toPhone(phone) : undefined });
      return problem ? Promise.reject(new Error(t(passwordMessages[problem]))) : Promise.resolve();
    },
  }),
];

/** A password input whose show/hide eye says what it does, in the UI language. */
export function PasswordInput(props: Omit<ComponentProps<typeof Input.Password>, 'iconRender' | 'prefix'>) {
  const t = useT();
  return (
    <Input.Password
      {...props}
      prefix={<LockOutlined aria-hidden />}
      iconRender={(visible) =>
        visible ? (
          <EyeOutlined aria-label={t('auth.hidePassword')} />
        ) : (
          <EyeInvisibleOutlined aria-label={t('auth.showPassword')} />
        )
      }
    />
  );
}

export function PhoneField({ readOnly, addon }: { readOnly?: boolean; addon?: ReactNode }) {
  const t = useT();
  return (
    <Form.Item name="phone" label={t('auth.phone')} rules={phoneRules(t)} validateFirst>
      <Input
        type="tel"
        inputMode="numeric"
        autoComplete="tel-national"
        maxLength={20}
        prefix={<MobileOutlined aria-hidden />}
        placeholder={t('auth.phonePlaceholder')}
        readOnly={readOnly}
        suffix={addon}
      />
    </Form.Item>
  );
}

/** The code input with its send button beside it; `formName` keeps the label's `for` pointing at the input. */
export function CodeField({ sendButton, formName }: { sendButton: ReactNode; formName: string }) {
  const t = useT();
  const id = `${formName}_code`;
  return (
    <Form.Item label={t('auth.code')} htmlFor={id} required>
      <div className="code-row">
        <Form.Item
          name="code"
          noStyle
          rules={[
            { required: true, message: t('auth.codeRequired') },
            { pattern: CODE_PATTERN, message: t('auth.codeInvalid') },
          ]}
          validateFirst
        >
          <Input
            id={id}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            prefix={<SafetyOutlined aria-hidden />}
            placeholder={t('auth.codePlaceholder')}
          />
        </Form.Item>
        {sendButton}
      </div>
    </Form.Item>
  );
}

export function NameField() {
  const t = useT();
  return (
    <Form.Item
      name="name"
      label={t('auth.name')}
      rules={[
        { required: true, whitespace: true, message: t('auth.nameRequired') },
        { max: 30, message: t('auth.nameTooLong') },
      ]}
    >
      <Input
        autoComplete="name"
        prefix={<UserOutlined aria-hidden />}
        placeholder={t('auth.namePlaceholder')}
      />
    </Form.Item>
  );
}

export function NewPasswordFields({ name = 'password' }: { name?: 'password' | 'newPassword' }) {
  const t = useT();
  return (
    <>
      <Form.Item
        name={name}
        label={name === 'password' ? t('auth.password') : t('auth.newPassword')}
        rules={newPasswordRules(t)}
        extra={t('auth.passwordRule')}
        validateFirst
      >
        <PasswordInput autoComplete="new-password" placeholder={t('auth.newPasswordPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.confirmPassword')}
        dependencies={[name]}
        rules={[
          { required: true, message: t('auth.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string | undefined) =>
              !value || getFieldValue(name) === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('auth.confirmMismatch'))),
          }),
        ]}
      >
        <PasswordInput autoComplete="new-password" placeholder={t('auth.confirmPasswordPlaceholder')} />
      </Form.Item>
    </>
  );
}
