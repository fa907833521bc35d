import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, API_BASE } from './client';
import type { ApiResponse } from './types';

/**
 * The signed-in member's in-app notifications: the bell's unread count (pushed live by the
 * server over server-sent events, asked again when the window gets the focus back and every
 * minute in case a proxy holds the stream) and the list, each written by the server in the
 * member's language.
 */
export type NotificationPage = ApiResponse<'/notifications'>;
export type NotificationItem = NotificationPage['items'][number];

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  list: ['notifications', 'list'] as const,
};

export const POLL_MS = 60_000;

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

/**
 * Keep the count live: GET /notifications/stream sends it whenever the member's notifications
 * change (on any app node); a changed count refreshes the list too. EventSource reconnects by
 * itself (the server ends each stream after a few minutes).
 */
export function useLiveUnreadCount() {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`${API_BASE}/notifications/stream`);
    source.addEventListener('unread', (event) => {
      const { unreadCount } = JSON.parse((event as MessageEvent<string>).data) as {
        unreadCount: number;
      };
      const before = qc.getQueryData<{ unreadCount: number }>(notificationKeys.unread);
      qc.setQueryData(notificationKeys.unread, { unreadCount });
      if (before?.unreadCount !== unreadCount) {
        void qc.invalidateQueries({ queryKey: notificationKeys.list });
      }
    });
    return () => source.close();
  }, [qc]);
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
