import type { MessageKey } from '../../shared/i18n';

/** Survey positions as the server names them (insights wage-positions.ts), in the server's order. */
export const positionCodes = ['nanny', 'yuesao', 'yuyingyuan', 'elder_carer', 'hourly'] as const;

/** The dictionary key of a position's name. */
export const positionKey = (code: string) => `insights.position.${code}` as MessageKey;
