import type { PublicVerification } from './certification.service.js';

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const SPECIAL = /[&<>"']/;
// Most values have nothing to escape: test once, replace only then.
const esc = (s: string) => (SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => entities[c]!) : s);

const palette = {
  green: { bg: '#e7f6ec', fg: '#0f6e3a', icon: '✔' },
  yellow: { bg: '#fff7e0', fg: '#8a5a00', icon: '!' },
  red: { bg: '#fde8e8', fg: '#a4161a', icon: '✖' },
} as const;

// Small and self-contained: no script, no web font, one inline stylesheet; readable at 360 px.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f1f1f;background:#f5f5f5}
main{max-width:480px;margin:0 auto;padding:12px}header{font-weight:600;color:#0f6e3a;padding:4px 0 10px}
.status{border-radius:12px;padding:14px;display:flex;gap:12px;align-items:center;border:2px solid currentColor}
.icon{font-size:28px;width:44px;height:44px;border-radius:50%;display:flex;align-items:center;justify-content:center;border:3px solid currentColor;flex:none}
.status strong{display:block;font-size:20px}.card{background:#fff;border-radius:12px;padding:14px;margin-top:12px}
.who{display:flex;gap:12px;align-items:center}.who img,.nophoto{width:72px;height:96px;object-fit:cover;border-radius:6px;background:#eee;flex:none}
.nophoto{display:flex;align-items:center;justify-content:center;color:#999;font-size:13px}.nowrap{white-space:nowrap}
.name{font-size:22px;font-weight:600}dl{margin:0;display:grid;grid-template-columns:5.5em minmax(0,1fr);gap:6px 8px}dt{color:#666}dd{margin:0}
footer{color:#888;font-size:13px;padding:12px 2px}`;

// The page around the facts is built once; a scan fills in the title and the body.
const HEAD =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>';
const AFTER_TITLE = `</title><style>${CSS}</style><link rel="manifest" href="/manifest.webmanifest"><script src="/sw-register.js" defer></script></head><body><main><header>安心家政 · 安心服务证查验</header>`;
const TAIL = '<footer>状态为实时查询结果，仅供核验身份与资质使用。</footer></main></body></html>';

function page(title: string, body: string): string {
  return HEAD + esc(title) + AFTER_TITLE + body + TAIL;
}

/** The public verification page for a valid token. */
export function renderVerifyPage(v: PublicVerification, photoUrl: string | null): string {
  const p = palette[v.color];
  // The third field keeps a value on one line (numbers and date ranges must not break mid-value on a phone).
  const rows: [string, string, boolean?][] = [
    ['证书编号', v.number, true],
    ['服务类别', v.categories.map((c) => c.label).join('、') || '—'],
    ['技能等级', v.skillLevel?.label ?? '—'],
    ['所属企业', v.company ? `${v.company.name}（信用等级：${v.company.creditGrade ?? '暂未评级'}）` : '—'],
    [
      '健康证',
      !v.healthValidUntil
        ? '未提供'
        : v.reason === 'health_expired'
          ? `已过期（${v.healthValidUntil} 到期）`
          : `有效期至 ${v.healthValidUntil}`,
    ],
    ['岗前培训', v.trainingPassed ? '已通过' : '未通过'],
    [
      '背景核查',
      v.backgroundPassed
        ? `已通过${v.backgroundCheckedOn ? `（${v.backgroundCheckedOn}）` : ''}`
        : '未通过或未完成',
    ],
    ['保险', v.insurance.label],
    [
      '信用星级',
      v.creditStars
        ? `${'★'.repeat(v.creditStars)}${'☆'.repeat(5 - v.creditStars)}（${v.creditStars} 星）`
        : '暂未评定',
    ],
    ['证书有效期', `${v.validFrom} 至 ${v.validUntil}`, true],
  ];
  const img = photoUrl
    ? `<img src="${esc(photoUrl)}" alt="持证人照片" width="72" height="96">`
    : '<div class="nophoto">无照片</div>';
  const body = `<section class="status" style="background:${p.bg};color:${p.fg}" role="status"><span class="icon" aria-hidden="true">${p.icon}</span><div><strong>${esc(v.colorLabel)}</strong><span>${esc(v.reasonLabel)}</span></div></section>
<section class="card"><div class="who">${img}<div><div class="name">${esc(v.maskedName)}</div><div>安心服务证持证人</div></div></div></section>
<section class="card"><dl>${rows.map(([k, val, nowrap]) => `<dt>${esc(k)}</dt><dd${nowrap ? ' class="nowrap"' : ''}>${esc(val)}</dd>`).join('')}</dl></section>`;
  return page(`${v.colorLabel} · ${v.number}`, body);
}

/** The page for a forged, altered, unknown or retired token: plain words, no details (the same every time). */
export function renderInvalidPage(): string {
  return INVALID_PAGE;
}
const INVALID_PAGE = page(
  '无效的验证码',
  `<section class="status" style="background:#f0f0f0;color:#595959" role="status"><span class="icon" aria-hidden="true">?</span><div><strong>无效的验证码</strong><span>This code is not valid.</span></div></section>
<section class="card"><p>该二维码无法验证：可能已被篡改、伪造，或已停用。请勿据此确认家政员身份，可在平台输入证书编号查询，或联系发证部门。</p></section>`,
);
