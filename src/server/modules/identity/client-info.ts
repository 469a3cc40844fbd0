import { isIPv4, isIPv6 } from 'node:net';

/** An IP address for display: the last IPv4 octet, or all but the first three IPv6 groups, hidden. */
export function maskIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.*`;
  if (isIPv6(ip)) {
    const groups = ip.split(':').filter((g) => g !== '');
    return `${groups.slice(0, 3).join(':')}:*`;
  }
  return '*';
}

const browsers: [RegExp, string][] = [
  [/MicroMessenger\/([\d]+)/, 'WeChat'],
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/HeadlessChrome\/(\d+)/, 'Chrome'],
  [/(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/, 'Safari'],
];
const systems: [RegExp, string][] = [
  [/HarmonyOS/, 'HarmonyOS'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/**
 * A short device description from a User-Agent header ("Chrome 120 · Android"), or null when nothing is known.
 * Only names and a major version: the full header is never sent back.
 */
export function describeUserAgent(ua: string | null | undefined): string | null {
  if (!ua) return null;
  let browser: string | null = null;
  for (const [re, name] of browsers) {
    const m = re.exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const os = systems.find(([re]) => re.test(ua))?.[1] ?? null;
  const parts = [browser, os].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : null;
}
