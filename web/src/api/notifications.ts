import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { ApiResponse } from './types';

/**
 * The signed-in member's in-app notifications: the bell's unread count (asked every 30 s and
 * when the window gets the focus back; live push comes with issue #21) and the list, each
 * written by the server in the member's language.
 */
export type NotificationPage = ApiResponse<'/notifications'>;
export type NotificationItem = NotificationPage['items'][number];

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  list: ['notifications', 'list'] as const,
};

export const POLL_MS = 30_000;

export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () =>
      api.get<ApiResponse<'/notifications/unread-count'>>('/notifications/unread-count'),
    select: (d) => d.unreadCount,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** The list, newest first; `lang` in the key: the server writes it in the member's language. */
export function useNotifications(lang: string) {
  return useInfiniteQuery({
    queryKey: [...notificationKeys.list, lang],
    queryFn: ({ pageParam }) =>
      api.get<NotificationPage>('/notifications', {
        limit: 20,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null) =>
      api.post<ApiResponse<'/notifications/read-all', 'post'>>(
        id ? `/notifications/${encodeURIComponent(id)}/read` : '/notifications/read-all',
      ),
    onSuccess: ({ unreadCount }) => {
      qc.setQueryData(notificationKeys.unread, { unreadCount });
      void qc.invalidateQueries({ queryKey: notificationKeys.list });
    },
  });
}
