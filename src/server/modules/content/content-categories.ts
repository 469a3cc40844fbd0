/** Content categories: 新闻动态, 政策法规, 通知公告, 行业标准. */
export const contentCategories = ['news', 'policy', 'notice', 'standard'] as const;
export type ContentCategory = (typeof contentCategories)[number];

export const contentCategoryZh: Record<ContentCategory, string> = {
  news: '新闻动态',
  policy: '政策法规',
  notice: '通知公告',
  standard: '行业标准',
};

export const isContentCategory = (c: string): c is ContentCategory =>
  (contentCategories as readonly string[]).includes(c);
