/** A partner client is active or suspended by a platform admin; suspension stops every key at once. */
export const clientStates = ['active', 'suspended'] as const;
export type ClientState = (typeof clientStates)[number];
export type ClientAction = 'suspend' | 'reactivate';

export const clientTransitions: Record<ClientState, Partial<Record<ClientAction, ClientState>>> = {
  active: { suspend: 'suspended' },
  suspended: { reactivate: 'active' },
};

export function nextClientState(from: ClientState, action: ClientAction): ClientState | null {
  return clientTransitions[from][action] ?? null;
}

/** A key's state is computed from its times, never stored. */
export type KeyState = 'active' | 'rotating' | 'expired' | 'revoked';

export function keyState(
  k: { expiresAt: Date; revokedAt: Date | null; replacedBy: string | null },
  now: Date,
): KeyState {
  if (k.revokedAt && k.revokedAt <= now) return 'revoked';
  if (k.expiresAt <= now) return 'expired';
  return k.replacedBy ? 'rotating' : 'active';
}

/** A worker's consent grant, computed the same way. */
export function consentState(
  c: { expiresAt: Date; revokedAt: Date | null },
  now: Date,
): 'active' | 'expired' | 'revoked' {
  if (c.revokedAt && c.revokedAt <= now) return 'revoked';
  return c.expiresAt <= now ? 'expired' : 'active';
}

/** True when `ip` is in the allow-list (exact IPs or IPv4 CIDRs); an empty list allows every address. */
export function ipAllowed(allowlist: readonly string[], ip: string): boolean {
  if (allowlist.length === 0) return true;
  const plain = ip.replace(/^::ffff:/i, '');
  return allowlist.some((entry) => {
    const [net, bitsRaw] = entry.split('/');
    if (bitsRaw === undefined) return net === plain || net === ip;
    const bits = Number(bitsRaw);
    const a = toInt(net!);
    const b = toInt(plain);
    if (a === null || b === null || !(bits >= 0 && bits <= 32)) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (a & mask) >>> 0 === (b & mask) >>> 0;
  });
}

function toInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
