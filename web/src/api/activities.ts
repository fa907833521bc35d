import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/**
 * Activities (#21): My day and the personal calendar feed. The activity itself is a record
 * (`/activities`), served by the generic record pages; these are the shapes of the two
 * activity-only endpoints (as the server declares them in activities.routes.ts).
 */
export interface ActivityItem {
  id: string;
  kind: 'task' | 'call' | 'meeting';
  title: string;
  status: 'open' | 'done';
  dueAt: string | null;
  endAt: string | null;
  priority: 'low' | 'normal' | 'high';
  location: string | null;
  onlineUrl: string | null;
  links: { object: string; id: string; name: string }[];
  version: number;
}

export interface MyDay {
  overdue: ActivityItem[];
  today: ActivityItem[];
  upcoming: ActivityItem[];
}

export interface FeedStatus {
  active: boolean;
  createdAt: string | null;
}

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
    mutationFn: () => api.post<{ url: string; createdAt: string }>('/calendar-feed'),
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
