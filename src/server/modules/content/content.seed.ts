import type { RequestContext } from '../../platform/http/context.js';
import type { ContentService } from './content.service.js';
import { renderTextPdf } from './policy-pdf.js';

export interface ContentSeedInput {
  content: ContentService;
  regulatorUserId: string;
}

interface DemoItem {
  category: 'news' | 'policy' | 'notice' | 'standard';
  slug: string;
  title: string;
  authorOrg: string;
  summary: string;
  paragraphs: string[];
  pdf?: { fileName: string; title: string };
  state?: 'draft' | 'unpublished';
}

// Demo texts (示例): plausible for Guangzhou, clearly marked as demo data, not real documents.
const items: DemoItem[] = [
  {
    category: 'policy',
    slug: 'gz-domestic-service-quality-measures',
    title: '广州市家政服务提质扩容若干措施（示例）',
    authorOrg: '广州市商务局',
    summary:
      '推行“一人一卡一档一码”，家政服务人员持安心服务证上岗，企业信用分级管理，支持社区家政服务站建设。',
    paragraphs: [
      '一、全面推行家政服务人员“一人一卡一档一码”管理。家政服务人员经身份核验、健康体检、岗前培训和背景核查后，取得安心服务证，通过安心码向消费者展示实时状态。',
      '二、实施家政企业信用分级管理。按企业实力、服务能力、管理能力、公共信用和综合能力五个维度评定 5A 至 A 级，每年公布 5A 企业名单。',
      '三、建设“15 分钟家政服务圈”。依托街道、社区基层服务站登记家政需求，转介至信用良好的家政企业，并开展服务回访。',
      '四、推广使用家政服务合同示范文本，三方电子签约并在平台备案。',
      '（本文为安心家政演示数据，非正式政策文件。）',
    ],
    pdf: { fileName: '广州市家政服务提质扩容若干措施（示例）.pdf', title: '广州市家政服务提质扩容若干措施' },
  },
  {
    category: 'news',
    slug: 'anxin-card-100k',
    title: '我市安心服务证持证人数突破 10 万（示例）',
    authorOrg: '广州市商务局',
    summary: '截至本月，全市累计为家政服务人员核发安心服务证超过 10 万张，居民扫码查证次数逐月上升。',
    paragraphs: [
      '截至本月，全市累计为家政服务人员核发安心服务证超过 10 万张，覆盖月嫂、育婴员、保洁、养老护理等主要服务类别。',
      '居民可在平台首页输入证书编号或扫描安心码，查看服务人员的健康、培训和背景核查状态。绿码表示核验齐全且在有效期内。',
      '（演示数据）',
    ],
  },
  {
    category: 'notice',
    slug: 'five-a-evaluation-2026',
    title: '关于开展 2026 年度家政企业信用等级评定工作的通知（示例）',
    authorOrg: '广州市家庭服务业协会',
    summary:
      '请各家政企业于 12 月 31 日前在平台完善企业资料、服务人员档案及培训记录，逾期未完善的将影响评定结果。',
    paragraphs: [
      '各家政服务企业：为做好年度信用等级评定工作，请于 12 月 31 日前登录安心家政平台，完善企业资料、服务人员电子档案、培训与保险记录。',
      '评定结果将在平台公示，5A 企业名单同步在首页发布。对评定结果有异议的，可在公示期内通过平台提出申诉。',
      '（演示数据）',
    ],
  },
  {
    category: 'news',
    slug: 'tianhe-station-15min-circle',
    title: '天河区新增 12 个社区家政服务站，打造“15 分钟家政服务圈”（示例）',
    authorOrg: '天河区商务局',
    summary: '新建服务站提供需求登记、企业转介和服务回访，居民步行 15 分钟即可找到家政服务。',
    paragraphs: [
      '天河区在石牌、棠下、猎德等街道新增 12 个社区家政服务站。服务站为居民登记保洁、育婴、养老护理等需求，转介给信用良好的家政企业，并在服务完成后回访。',
      '（演示数据）',
    ],
  },
  {
    category: 'policy',
    slug: 'domestic-worker-insurance-subsidy',
    title: '家政服务人员“商业+公益”保险补贴实施办法（示例）',
    authorOrg: '广州市人力资源和社会保障局',
    summary: '在岗家政服务人员参加意外险和责任险，可按规定享受保费补贴，由家政企业统一投保。',
    paragraphs: [
      '在本市登记在岗的家政服务人员，由所在家政企业统一投保意外伤害险和第三者责任险的，按保费的一定比例给予补贴，每人每年设补贴上限。',
      '（演示数据）',
    ],
  },
  {
    category: 'standard',
    slug: 'maternity-nurse-service-spec',
    title: '母婴护理（月嫂）服务规范要点（示例）',
    authorOrg: '广州市家庭服务业协会',
    summary:
      '月嫂服务应签订书面合同，明确服务内容、时长、费用和双方权利义务，持健康证和母婴护理培训证明上岗。',
    paragraphs: [
      '母婴护理服务人员应持有效健康证明、母婴护理培训合格证明和安心服务证上岗。服务前应签订书面合同，明确服务内容、期限、费用及违约责任。',
      '（演示数据）',
    ],
  },
  {
    category: 'notice',
    slug: 'complaint-hotline-12345',
    title: '家政服务投诉渠道公告（示例）',
    authorOrg: '广州市商务局',
    summary:
      '居民可通过 12345 热线或在平台提交家政服务投诉，企业须在 24 小时内响应，逾期自动升级至监管部门。',
    paragraphs: [
      '居民对家政服务有投诉的，可拨打 12345 政务服务便民热线，或在安心家政平台“我的订单”中提交投诉并上传证据。',
      '家政企业须在 24 小时内响应，逾期未响应的投诉自动升级至监管部门处理。',
      '（演示数据）',
    ],
  },
  {
    category: 'news',
    slug: 'spring-festival-guide-prices',
    title: '春节前后家政服务指导价发布（示例）',
    authorOrg: '广州市商务局',
    summary: '春节期间家政服务需求旺盛，我市发布保洁、育婴、养老护理等项目的指导价区间，供居民和企业参考。',
    paragraphs: [
      '春节前后家政需求集中，请居民通过正规平台预约，签订合同，并核对服务人员的安心码。',
      '（演示数据）',
    ],
  },
  {
    category: 'notice',
    slug: 'training-class-registration-draft',
    title: '2027 年第一期育婴员培训班报名通知（草稿）',
    authorOrg: '广州市商务局',
    summary: '草稿：尚未发布。',
    paragraphs: ['报名时间、地点待定。'],
    state: 'draft',
  },
];

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Demo content through the real service: published news, policies (one with a Chinese PDF), a notice, a draft. */
export async function seedContent(input: ContentSeedInput) {
  const ctx: RequestContext = {
    actor: {
      userId: input.regulatorUserId,
      sessionId: 'seed',
      name: 'seed',
      phoneMasked: '',
      roles: ['regulator'],
      memberships: [],
      regulatorDistrict: null,
    },
    requestId: 'sys-seed-content',
    ip: null,
  };
  let published = 0;
  for (const d of items) {
    const item = await input.content.create(ctx, {
      category: d.category,
      slug: d.slug,
      title: d.title,
      summary: d.summary,
      authorOrg: d.authorOrg,
      bodyHtml: d.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''),
    });
    if (d.pdf) {
      const pdf = await renderTextPdf({
        title: d.pdf.title,
        issuer: `${d.authorOrg}（演示文件）`,
        paragraphs: d.paragraphs,
      });
      await input.content.addAttachment(ctx, item.id, { data: pdf, filename: d.pdf.fileName });
    }
    if (d.state === 'draft') continue;
    await input.content.transition(ctx, item.id, 'publish');
    published++;
  }
  return { items: items.length, published };
}
