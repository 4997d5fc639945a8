import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AnswerInput,
  AnswerPreview as AnswerPreviewSchema,
  Feedback as FeedbackSchema,
  StaffNotice as StaffNoticeSchema,
} from '../../../../../src/modules/publicity/schemas.ts';
import { api, type Page } from '../../../lib/api';

/** Public notices (公示) as staff see them, the masses' feedback on each, and the answers. */
export type StaffNotice = z.infer<typeof StaffNoticeSchema>;
export type Feedback = z.infer<typeof FeedbackSchema>;

export interface NoticeFilter {
  open?: boolean;
  page: number;
  pageSize: number;
}

export const getNotices = (f: NoticeFilter) => api.get<Page<StaffNotice>>('/api/notices', { ...f });
export const noticesQuery = (f: NoticeFilter) =>
  queryOptions({
    queryKey: ['notices', 'list', f],
    queryFn: () => getNotices(f),
    placeholderData: keepPreviousData,
  });
export const useNotices = (f: NoticeFilter) => useQuery(noticesQuery(f));

/**
 * One notice. The staff API has no GET /api/notices/:id yet, so it is looked up in my list, a large
 * page at a time (a county has a few hundred notices a year).
 */
export async function findNotice(id: number): Promise<StaffNotice | null> {
  const pageSize = 500;
  for (let page = 1; page <= 20; page++) {
    const r = await getNotices({ page, pageSize });
    const hit = r.items.find((n) => n.id === id);
    if (hit) return hit;
    if (page * pageSize >= r.total) break;
  }
  return null;
}
export const useNotice = (id: number) =>
  useQuery({ queryKey: ['notices', 'one', id], queryFn: () => findNotice(id) });

export const getFeedback = (id: number) =>
  api.get<Page<Feedback>>(`/api/notices/${id}/feedback`, { pageSize: 500 });
export const useFeedback = (id: number) =>
  useQuery({ queryKey: ['notices', id, 'feedback'], queryFn: () => getFeedback(id) });

export const answerFeedback = (noticeId: number, fid: number, body: AnswerInput) =>
  api.post<Feedback>(`/api/notices/${noticeId}/feedback/${fid}/answer`, body);

/** The feedback and answer as the public page would show them, masked by the server; saves nothing. */
export type AnswerPreview = z.infer<typeof AnswerPreviewSchema>;
export const previewAnswer = (noticeId: number, fid: number, answer: string) =>
  api.post<AnswerPreview>(`/api/notices/${noticeId}/feedback/${fid}/answer-preview`, { answer });

export function useAnswerFeedback(noticeId: number, fid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AnswerInput) => answerFeedback(noticeId, fid, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['notices'] });
    },
  });
}
