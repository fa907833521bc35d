import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Company, Contact } from './records';
import type { ApiResponse, Items } from './types';

/** The home page's own reads: small, fresh on every visit, never shared with the records pages. */
export type HomeObject = 'contacts' | 'companies';

/** The few columns the home page shows of a contact or a company (both answer with more). */
export type HomeRecord = Pick<Contact, 'id' | 'updatedAt' | 'ownerId'> &
  Partial<Pick<Contact, 'displayName'> & Pick<Company, 'name'>>;

export const homeKeys = {
  count: (object: HomeObject, filter?: string) => ['home', 'count', object, filter ?? ''] as const,
  list: (object: HomeObject, filter?: string) => ['home', 'list', object, filter ?? ''] as const,
  customFields: ['home', 'custom-fields'] as const,
  members: ['home', 'members'] as const,
};

/** `filter` JSON (docs/customer-records.md) for the records a user owns. */
export function ownedBy(userId: string): string {
  return JSON.stringify({ and: [{ field: 'ownerId', op: 'is', value: userId }] });
}

export function useRecordCount(object: HomeObject, enabled: boolean, filter?: string) {
  return useQuery({
    queryKey: homeKeys.count(object, filter),
    queryFn: ({ signal }) =>
      api.get<ApiResponse<'/contacts/count'>>(`/${object}/count`, filter ? { filter } : {}, signal),
    enabled,
    staleTime: 0,
    select: (d) => d.count,
  });
}

/** The five most recently updated records (optionally only those matching `filter`). */
export function useRecentRecords(object: HomeObject, enabled: boolean, filter?: string) {
  return useQuery({
    queryKey: homeKeys.list(object, filter),
    queryFn: ({ signal }) =>
      api.get<Items<HomeRecord>>(
        `/${object}`,
        { sort: '-updatedAt', limit: 5, ...(filter ? { filter } : {}) },
        signal,
      ),
    enabled,
    staleTime: 0,
    select: (d) => d.items,
  });
}

export function useMemberCount(enabled: boolean) {
  return useQuery({
    queryKey: homeKeys.members,
    queryFn: ({ signal }) => api.get<Items<{ id: string }>>('/users', undefined, signal),
    enabled,
    staleTime: 0,
    select: (d) => d.items.length,
  });
}

export function useCustomFieldCount(enabled: boolean) {
  return useQuery({
    queryKey: homeKeys.customFields,
    queryFn: async ({ signal }) => {
      const [contacts, companies] = await Promise.all(
        (['contacts', 'companies'] as const).map((object) =>
          api.get<Items<unknown>>('/custom-fields', { object }, signal),
        ),
      );
      return (contacts?.items.length ?? 0) + (companies?.items.length ?? 0);
    },
    enabled,
    staleTime: 0,
  });
}
