import type { FastifyBaseLogger } from 'fastify';

export type OtpPurpose = 'register' | 'login' | 'reset_password' | 'worker_confirm';

export interface SmsMessage {
  phone: string;
  code: string;
  purpose: OtpPurpose;
  sentAt: Date;
}

/** Sends verification codes by SMS. Production plugs in a carrier gateway behind this interface. */
export interface SmsSender {
  sendCode(message: SmsMessage): Promise<void>;
}

/** Development and test sink: keeps messages in memory so tests (and the dev endpoint) can read the code. */
export interface DevSmsSink extends SmsSender {
  readonly kind: 'dev';
  latest(phone: string): SmsMessage | undefined;
  all(): readonly SmsMessage[];
}

export function createDevSmsSink(
  opts: { logger?: FastifyBaseLogger; logCodes?: boolean; limit?: number } = {},
): DevSmsSink {
  const messages: SmsMessage[] = [];
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
  };
}

export const isDevSink = (s: SmsSender): s is DevSmsSink => (s as DevSmsSink).kind === 'dev';
