import type { FastifyBaseLogger } from 'fastify';

export type OtpPurpose = 'register' | 'login' | 'reset_password' | 'worker_confirm' | 'contract_sign' | 'mfa';

export interface SmsMessage {
  phone: string;
  code: string;
  purpose: OtpPurpose;
  sentAt: Date;
}

/**
 * A templated notice (Chinese carriers only deliver pre-approved templates, 短信模板): the template id and its
 * parameters, never free text. Parameters carry no ID numbers or addresses.
 */
export interface SmsNotice {
  phone: string;
  template: string;
  params: Record<string, string>;
  sentAt: Date;
}

/** Sends verification codes and templated notices by SMS. Production plugs in a carrier gateway behind this interface. */
export interface SmsSender {
  sendCode(message: SmsMessage): Promise<void>;
  sendNotice(notice: SmsNotice): Promise<void>;
}

/** Development and test sink: keeps messages in memory so tests (and the dev endpoint) can read the code. */
export interface DevSmsSink extends SmsSender {
  readonly kind: 'dev';
  latest(phone: string): SmsMessage | undefined;
  all(): readonly SmsMessage[];
  /** Notices sent to a phone, oldest first. */
  notices(phone: string): readonly SmsNotice[];
}

export function createDevSmsSink(
  opts: { logger?: FastifyBaseLogger; logCodes?: boolean; limit?: number } = {},
): DevSmsSink {
  const messages: SmsMessage[] = [];
  const sentNotices: SmsNotice[] = [];
  const limit = opts.limit ?? 1000;
  return {
    kind: 'dev',
    async sendCode(message) {
      messages.push(message);
      if (messages.length > limit) messages.shift();
      // Only the development sink ever prints a code, so a developer can sign in without a phone.
      if (opts.logCodes)
        opts.logger?.info(
          `[dev sms] ${message.phone.slice(0, 3)}****${message.phone.slice(-4)} ${message.purpose} code ${message.code}`,
        );
    },
    latest(phone) {
      for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.phone === phone) return messages[i];
      return undefined;
    },
    all: () => messages,
    async sendNotice(notice) {
      sentNotices.push(notice);
      if (sentNotices.length > limit) sentNotices.shift();
    },
    notices: (phone) => sentNotices.filter((n) => n.phone === phone),
  };
}

export const isDevSink = (s: SmsSender): s is DevSmsSink => (s as DevSmsSink).kind === 'dev';
