import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../shared/api';
import { problemToApiError } from '../../shared/api/client';
import { getLocale } from '../../shared/i18n';
import type {
  ContentAction,
  ContentCategory,
  ContentState,
  EditorItem,
  ItemInput,
  Page,
  PublicDetail,
  PublicSummary,
  SavedItem,
} from './content.types';

const base = '/api/v1';

export const contentKeys = {
  all: ['content'] as const,
  publicList: (category: string, q: string) => [...contentKeys.all, 'public', category, q] as const,
  publicItem: (slug: string) => [...contentKeys.all, 'public-item', slug] as const,
  editorList: (state: string, category: string, q: string) =>
    [...contentKeys.all, 'editor', state, category, q] as const,
  editorItem: (id: string) => [...contentKeys.all, 'editor-item', id] as const,
};

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** Published items, newest first, page by page (category and search optional). */
export function usePublicContent(opts: {
  category?: ContentCategory | undefined;
  q?: string | undefined;
  limit?: number;
}) {
  const limit = String(opts.limit ?? 10);
  return useInfiniteQuery({
    queryKey: [...contentKeys.publicList(opts.category ?? '', opts.q ?? ''), limit],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<PublicSummary>>(
        `${base}/public/content${qs({ category: opts.category, q: opts.q, limit, cursor: pageParam || undefined })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** One published item. */
export function usePublicItem(slug: string | undefined) {
  return useQuery({
    queryKey: contentKeys.publicItem(slug ?? ''),
    queryFn: ({ signal }) =>
      api.get<PublicDetail>(`${base}/public/content/${encodeURIComponent(slug!)}`, { signal }),
    enabled: Boolean(slug),
    retry: false,
  });
}

/** The editor's list (regulator). */
export function useEditorList(filter: {
  state?: ContentState | undefined;
  category?: ContentCategory | undefined;
  q?: string | undefined;
}) {
  return useQuery({
    queryKey: contentKeys.editorList(filter.state ?? '', filter.category ?? '', filter.q ?? ''),
    queryFn: ({ signal }) =>
      api.get<Page<EditorItem>>(
        `${base}/content/items${qs({ state: filter.state, category: filter.category, q: filter.q, limit: '50' })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useEditorItem(id: string | null) {
  return useQuery({
    queryKey: contentKeys.editorItem(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<EditorItem>(`${base}/content/items/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}

function useRefresh() {
  const qc = useQueryClient();
  return (item?: EditorItem) => {
    if (item) qc.setQueryData(contentKeys.editorItem(item.id), item);
    return qc.invalidateQueries({ queryKey: contentKeys.all });
  };
}

/** Creates a draft or saves an existing item. */
export function useSaveItem() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (a: {
      id: string | null;
      input: Partial<ItemInput> & { coverAttachmentId?: string | null };
    }) =>
      a.id
        ? api.request<SavedItem>(`${base}/content/items/${encodeURIComponent(a.id)}`, {
            method: 'PATCH',
            body: a.input,
          })
        : api.post<SavedItem>(`${base}/content/items`, a.input),
    onSuccess: (item) => refresh(item),
  });
}

export function useTransition() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (a: { id: string; action: ContentAction; publishAt?: string }) =>
      api.post<EditorItem>(`${base}/content/items/${encodeURIComponent(a.id)}/transitions`, {
        action: a.action,
        ...(a.publishAt ? { publishAt: a.publishAt } : {}),
      }),
    onSuccess: (item) => refresh(item),
  });
}

async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    body: form,
    credentials: 'include',
    headers: {
      accept: 'application/json, application/problem+json',
      'accept-language': getLocale() === 'en' ? 'en' : 'zh-CN',
    },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw problemToApiError(res.status, body, getLocale(), res.headers);
  return body as T;
}

export function useUploadAttachment() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (a: { id: string; file: File }) => {
      const fd = new FormData();
      fd.append('file', a.file);
      return postForm<EditorItem>(`${base}/content/items/${encodeURIComponent(a.id)}/attachments`, fd);
    },
    onSuccess: (item) => refresh(item),
  });
}

export function useRemoveAttachment() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (a: { id: string; attachmentId: string }) =>
      api.request<EditorItem>(
        `${base}/content/items/${encodeURIComponent(a.id)}/attachments/${encodeURIComponent(a.attachmentId)}`,
        { method: 'DELETE' },
      ),
    onSuccess: (item) => refresh(item),
  });
}
