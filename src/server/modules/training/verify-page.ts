const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Same look as the 安心服务证 verification page (/v/:token): no script, one inline stylesheet, readable at 360 px.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f1f1f;background:#f5f5f5}
main{max-width:480px;margin:0 auto;padding:12px}header{font-weight:600;color:#0f6e3a;padding:4px 0 10px}
.status{border-radius:12px;padding:14px;display:flex;gap:12px;align-items:center;border:2px solid currentColor}
.icon{font-size:28px;width:44px;height:44px;border-radius:50%;display:flex;align-items:center;justify-content:center;border:3px solid currentColor;flex:none}
.status strong{display:block;font-size:20px}.card{background:#fff;border-radius:12px;padding:14px;margin-top:12px}
dl{margin:0;display:grid;grid-template-columns:5.5em minmax(0,1fr);gap:6px 8px}dt{color:#666}dd{margin:0}.nowrap{white-space:nowrap}
footer{color:#888;font-size:13px;padding:12px 2px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CSS}</style></head><body><main><header>安心家政 · 培训证书查验</header>${body}<footer>查验结果来自平台培训记录。</footer></main></body></html>`;
}

export interface PublicTrainingCertificate {
  number: string;
  maskedName: string;
  courseTitle: string;
  category: string;
  institution: string;
  hours: string;
  score: number;
  issuedOn: string;
}

/** The public page a training certificate's QR code opens. */
export function renderTrainingVerifyPage(v: PublicTrainingCertificate): string {
  const rows: [string, string, boolean?][] = [
    ['证书编号', v.number, true],
    ['姓名', v.maskedName],
    ['培训课程', v.courseTitle],
    ['培训类别', v.category],
    ['培训机构', v.institution],
    ['学时', v.hours],
    ['考核成绩', `${v.score} 分（合格）`],
    ['发证日期', v.issuedOn, true],
  ];
  return page(
    `培训合格 · ${v.number}`,
    `<section class="status" style="background:#e7f6ec;color:#0f6e3a" role="status"><span class="icon" aria-hidden="true">✔</span><div><strong>培训合格证明有效</strong><span>Valid training certificate</span></div></section>
<section class="card"><dl>${rows.map(([k, val, nw]) => `<dt>${esc(k)}</dt><dd${nw ? ' class="nowrap"' : ''}>${esc(val)}</dd>`).join('')}</dl></section>`,
  );
}

/** The page for an unknown or altered code. */
export function renderTrainingInvalidPage(): string {
  return page(
    '无效的验证码',
    `<section class="status" style="background:#f0f0f0;color:#595959" role="status"><span class="icon" aria-hidden="true">?</span><div><strong>无效的验证码</strong><span>This code is not valid.</span></div></section>
<section class="card"><p>该二维码无法验证：可能已被篡改或伪造。</p></section>`,
  );
}
