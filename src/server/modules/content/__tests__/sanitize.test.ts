import { describe, expect, test } from 'vitest';
import { plainText, sanitizeBody } from '../sanitize.js';

// Classic XSS payloads (OWASP filter-evasion cheat sheet and friends). None may keep anything executable.
const payloads = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<img src="/api/v1/public/content/a-b/attachments/cna_1" onerror="alert(1)">',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
  '<a href="jav&#x09;ascript:alert(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="//evil.example">protocol-relative</a>',
  '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
  '<body onload=alert(1)>',
  '<svg onload=alert(1)><circle r=1></circle></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="evil.swf"></object><embed src="evil.swf">',
  '<p style="background:url(javascript:alert(1))">styled</p>',
  '<div style="width: expression(alert(1))">ie</div>',
  '<style>@import "https://evil.example/x.css"; p { color: red }</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  '<form action="https://evil.example"><input name="q"><button>go</button></form>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<input autofocus onfocus=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<isindex type=image src=1 onerror=alert(1)>',
  '"><script>alert(1)</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="https://ok.example" target="_blank" onclick="x()">ok</a>',
  '<template><script>alert(1)</script></template>',
  '<img src="https://tracker.example/p.gif">',
  '<p class="x" id="y" data-x="1">attrs</p>',
];

const dangerous = [
  /<script/i,
  /\son\w+\s*=/i,
  /javascript:/i,
  /vbscript:/i,
  /data:/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
  /<svg/i,
  /<math/i,
  /<style/i,
  /\sstyle\s*=/i,
  /<link/i,
  /<meta/i,
  /<base/i,
  /<form/i,
  /<input/i,
  /<template/i,
  /\sclass\s*=/i,
  /\sid\s*=/i,
  /href="\/\//i,
  /tracker\.example/,
];

describe('sanitizeBody', () => {
  test.each(payloads)('neutralises %s', (payload) => {
    const out = sanitizeBody(payload);
    for (const bad of dangerous) expect(out.html, `${bad} in ${out.html}`).not.toMatch(bad);
    expect(out.cleaned).toBe(true);
  });

  test('keeps the documented allow-list intact and reports nothing cleaned', () => {
    const html =
      '<h2>标题</h2><p>正文<strong>加粗</strong><em>斜体</em><br />第二行</p><ul><li>一</li></ul><ol start="2"><li>二</li></ol>' +
      '<blockquote>引用</blockquote><table><thead><tr><th scope="col">项目</th></tr></thead><tbody><tr><td colspan="2">保洁</td></tr></tbody></table>' +
      '<figure><img src="/api/v1/public/content/gz-policy/attachments/cna_01abc" alt="图" /><figcaption>说明</figcaption></figure>' +
      '<p><a href="https://www.gz.gov.cn/" title="广州">链接</a> <a href="tel:12345">12345</a></p>';
    const out = sanitizeBody(html);
    expect(out.html).toContain('<h2>标题</h2>');
    expect(out.html).toContain('<th scope="col">项目</th>');
    expect(out.html).toContain(
      '<img src="/api/v1/public/content/gz-policy/attachments/cna_01abc" alt="图" />',
    );
    expect(out.html).toContain(
      '<a href="https://www.gz.gov.cn/" title="广州" rel="noopener noreferrer nofollow">链接</a>',
    );
    expect(out.html).toContain('<a href="tel:12345" rel="noopener noreferrer nofollow">12345</a>');
    expect(out.cleaned).toBe(false);
    expect(out.text).toContain('正文加粗斜体');
  });

  test('a script’s text is dropped with it; the rest of the paragraph stays', () => {
    const out = sanitizeBody('<p>前<script>alert("x")</script>后</p>');
    expect(out.html).toBe('<p>前后</p>');
    expect(out.text).toBe('前后');
  });

  test('an unsafe link keeps its text but loses the href', () => {
    expect(sanitizeBody('<a href="javascript:alert(1)">点我</a>').html).toBe(
      '<a rel="noopener noreferrer nofollow">点我</a>',
    );
  });

  test('a body of nothing but dangerous markup is empty', () => {
    expect(sanitizeBody('<script>alert(1)</script><iframe></iframe>').text).toBe('');
  });

  test('sanitizing is idempotent', () => {
    for (const p of payloads) {
      const once = sanitizeBody(p).html;
      expect(sanitizeBody(once).html).toBe(once);
    }
  });
});

describe('plainText', () => {
  test('strips markup and collapses whitespace, keeping visible text', () => {
    expect(plainText('  <b>家政</b>\n <script>x()</script> 服务 ')).toBe('家政 服务');
  });
  test('an escaped entity stays text and is never decoded twice', () => {
    expect(plainText('a &amp;lt;b&amp;gt; c')).toBe('a &lt;b&gt; c');
    expect(plainText('AT&amp;T')).toBe('AT&T');
  });
});
