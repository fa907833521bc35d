import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { ApiResponse } from './types';

/**
 * Activities (#21): My day and the personal calendar feed. The activity itself is a record
 * (`/activities`), served by the generic record pages.
 */
export type MyDay = ApiResponse<'/activities/my-day'>;
export type ActivityItem = MyDay['overdue'][number];
export type FeedStatus = ApiResponse<'/calendar-feed'>;
type FeedCreated = ApiResponse<'/calendar-feed', 'post'>;

const myDayKey = ['activities', 'my-day'] as const;
const feedKey = ['calendar-feed'] as const;

export function useMyDay() {
  return useQuery({
    queryKey: myDayKey,
    queryFn: ({ signal }) => api.get<MyDay>('/activities/my-day', undefined, signal),
    refetchInterval: 60_000,
  });
}

/** Mark an activity done (one click); a recurring task's next occurrence appears. */
export function useCompleteActivity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; version: number }) =>
      api.patch(`/activities/${a.id}`, { status: 'done' }, { 'if-match': `"${a.version}"` }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['activities'] }),
  });
}

export function useCalendarFeed() {
  return useQuery({
    queryKey: feedKey,
    queryFn: ({ signal }) => api.get<FeedStatus>('/calendar-feed', undefined, signal),
  });
}

export function useCreateCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<FeedCreated>('/calendar-feed'),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedKey }),
  });
}

export function useRevokeCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/calendar-feed'),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedKey }),
  });
}
