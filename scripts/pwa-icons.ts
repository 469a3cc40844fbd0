// Renders the PWA icons in src/web/public/icons from the favicon's shapes. Run after changing the logo:
//   npx tsx scripts/pwa-icons.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const out = resolve(import.meta.dirname, '../src/web/public/icons');
const shield =
  '<path d="M32 12 14 20v11c0 11 7.7 19.7 18 22 10.3-2.3 18-11 18-22V20z" fill="#fff"/>' +
  '<path d="m24 32 6 6 11-12" fill="none" stroke="#0b7a6a" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>';
// "any": rounded tile as in the favicon. "maskable": full-bleed background, the shield inside the 80 % safe zone.
const any = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0b7a6a"/>${shield}</svg>`;
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#0b7a6a"/><g transform="translate(6.4 6.4) scale(0.8)">${shield}</g></svg>`;

mkdirSync(out, { recursive: true });
for (const [name, svg, size] of [
  ['icon-192.png', any, 192],
  ['icon-512.png', any, 512],
  ['maskable-512.png', maskable, 512],
  ['apple-touch-icon.png', maskable, 180],
] as const) {
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
  writeFileSync(join(out, name), png);
  console.log(`${name} ${png.length} bytes`);
}
