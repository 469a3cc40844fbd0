/** Mainland mobile number, normalised to 11 digits (a +86 prefix, spaces and dashes are accepted). */
export function normalizeMobileStrict(input: string): string | null {
  const s = input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

export const maskPhone = (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`;
