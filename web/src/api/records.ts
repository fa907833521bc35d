/**
 * Customer records (issue #3): typed TanStack Query hooks over the API described in
 * docs/customer-records.md. Every cache key starts with `records` / the object key so that a
 * write can invalidate or patch exactly the lists and records it touched.
 */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { api, isApiError, request } from './client';
import { compactFilter, fieldsQuery, objectsQuery, recordKeys, viewsQuery } from './queries';
import {
  pathsApiV1CompaniesIdGetResponses200ContentApplicationJsonTypeValues as companyTypes,
  pathsApiV1ContactsIdGetResponses200ContentApplicationJsonGenderAnyOf0Values as genders,
  pathsApiV1ContactsIdGetResponses200ContentApplicationJsonSalutationAnyOf0Values as salutations,
  pathsApiV1CustomFieldsIdGetResponses200ContentApplicationJsonTypeValues as customFieldTypes,
} from './schema.gen';
import type { ApiRequestBody, ApiResponse, ItemOf, Items } from './types';

// --- shapes ---------------------------------------------------------------------------------
// Generated from the server's schemas (types.ts, schema.gen.ts) except where a comment says why.

/** A record object's key (`contacts`, `products`…): the objects come from GET /objects. */
export type RecordObjectKey = string;

/** A record object as the server declares it (RecordObjectDefinition's labels and presentation). */
export type ObjectMeta = ItemOf<ApiResponse<'/objects'>>;

/** The record objects the user may read, in sidebar order. */
export function useObjects() {
  return useQuery({ ...objectsQuery, select: (d) => d.items });
}

/** One object's declaration (undefined while loading or when the user may not read it). */
export function useObjectMeta(object: RecordObjectKey): ObjectMeta | undefined {
  return useObjects().data?.find((o) => o.key === object);
}

export type Contact = ApiResponse<'/contacts/{id}'>;
export type Company = ApiResponse<'/companies/{id}'>;

type Phone = Contact['phones'][number];
/** An email or a phone (phones also have `national`: `0912 345 678`, derived by the server). */
export type LabeledValue = Contact['emails'][number] & Partial<Pick<Phone, 'national'>>;
export type Address = Contact['addresses'][number];
export type UserRef = NonNullable<Contact['owner']>;
export type ConsentEntry = Contact['consent'][string];

export const SALUTATIONS = salutations;
export type Salutation = NonNullable<Contact['salutation']>;
export const GENDERS = genders;
export const COMPANY_TYPES = companyTypes;

export type ContactCompanyLink = Contact['companies'][number];

/**
 * Any record object's record: its own fields by key, and the ones every record has. Written by
 * hand: which fields a record has depends on its object (GET /objects/:object/fields), so the
 * generated types only know the objects that exist today.
 */
export interface AnyRecord {
  id: string;
  ownerId: string | null;
  owner: UserRef | null;
  tags: string[];
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  /** Bumped by every change; sent back as If-Match so a write never overwrites another's. */
  version: number;
  phones?: LabeledValue[];
  emails?: LabeledValue[];
  addresses?: Address[];
  [field: string]: unknown;
}
export type RecordOf<_O extends RecordObjectKey> = AnyRecord;

/** The name a record is shown by: its object's title field. */
export function recordName(record: AnyRecord, titleField?: string): string {
  const value = titleField ? record[titleField] : (record.displayName ?? record.name);
  return typeof value === 'string' ? value : '';
}

export function primaryOf<T extends { primary: boolean }>(values: T[] | undefined): T | undefined {
  return values?.find((v) => v.primary) ?? values?.[0];
}

/** Write body: any subset of the record's own fields (see the contract for what is derived). */
export type RecordInput = Record<string, unknown>;

export type FieldMeta = ItemOf<ApiResponse<'/objects/{object}/fields'>>;
export type FieldType = FieldMeta['type'];
export type LocalisedText = FieldMeta['label'];

export interface Choice {
  value: string;
  label: string;
  color?: string | null;
  /** An archived option (option lists): shown on the records that have it, never offered. */
  archived?: boolean;
}

export function localised(text: LocalisedText | string | undefined, lang: string): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return lang === 'en' ? text.en || text.vi : text.vi || text.en;
}

/** The choices of a select / multi-select field (a colour when the server sends one). */
export function fieldChoices(field: FieldMeta, lang: string): Choice[] {
  const raw: { key: string; label: LocalisedText; color?: string | null; archived?: boolean }[] =
    field.options ?? [];
  return raw
    .map((c) => ({
      value: c.key,
      label: localised(c.label, lang) || c.key,
      color: c.color ?? null,
      ...(c.archived ? { archived: true } : {}),
    }))
    .filter((c) => c.value !== '');
}

export function fieldLabel(field: FieldMeta, lang: string): string {
  return localised(field.label, lang) || field.key;
}

// --- filter tree ----------------------------------------------------------------------------

export type FilterOp = FieldMeta['operators'][number];

/**
 * The filter tree, by hand: the server checks one object shape (for errors at a path), which
 * does not say that a node is a group or a condition (components['schemas']['FilterNodeInput']).
 */
export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: unknown;
}
export type FilterGroup = { and: FilterNode[] } | { or: FilterNode[] };
export type FilterNode = FilterCondition | FilterGroup;

// The filter tree's helpers and the query keys live in queries.ts (the route loaders load it
// before the pages); exported here too for the pages.
export { compactFilter, groupChildren, isGroup, recordKeys } from './queries';

export const OPERATORS: Record<string, FilterOp[]> = {
  text: ['contains', 'not_contains', 'is', 'is_not', 'is_empty', 'is_not_empty'],
  number: ['is', 'is_not', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  date: [
    'is',
    'before',
    'after',
    'between',
    'more_than_days_ago',
    'within_last_days',
    'is_empty',
    'is_not_empty',
  ],
  select: ['is', 'is_not', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  multi: ['contains', 'not_contains', 'is_empty', 'is_not_empty'],
  boolean: ['is'],
};

export function operatorsFor(type: FieldType): FilterOp[] {
  switch (type) {
    case 'number':
    case 'money':
      return OPERATORS.number!;
    case 'date':
    case 'datetime':
      return OPERATORS.date!;
    case 'select':
    case 'user':
    case 'link':
      return OPERATORS.select!;
    case 'multi_select':
    case 'tags':
      return OPERATORS.multi!;
    case 'boolean':
      return OPERATORS.boolean!;
    default:
      return OPERATORS.text!;
  }
}

// --- lists ----------------------------------------------------------------------------------

export interface ListParams {
  filter?: FilterNode;
  /** `field` or `-field`. */
  sort?: string;
  q?: string;
  trash?: boolean;
  limit?: number;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

function listQuery(params: ListParams) {
  const filter = compactFilter(params.filter);
  return {
    filter: filter ? JSON.stringify(filter) : undefined,
    sort: params.sort,
    q: params.q?.trim() || undefined,
    trash: params.trash ? 'true' : undefined,
  };
}

const PAGE_SIZE = 100;

/** Keyset pages, fetched one after the other as the table scrolls. */
export function useRecordList<O extends RecordObjectKey>(
  object: O,
  params: ListParams,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useInfiniteQuery({
    enabled,
    queryKey: recordKeys.list(object, params),
    queryFn: ({ pageParam, signal }) =>
      api.get<ListPage<RecordOf<O>>>(
        `/${object}`,
        {
          ...listQuery(params),
          limit: params.limit ?? PAGE_SIZE,
          cursor: pageParam,
          withTotal: pageParam ? undefined : 'true',
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useRecord<O extends RecordObjectKey>(
  object: O,
  id: string | undefined,
  options: { trash?: boolean } = {},
) {
  return useQuery({
    queryKey: recordKeys.one(object, id ?? ''),
    queryFn: ({ signal }) =>
      api.get<RecordOf<O>>(
        `/${object}/${encodeURIComponent(id ?? '')}`,
        { trash: options.trash ? 'true' : undefined },
        signal,
      ),
    enabled: Boolean(id),
  });
}

type ListData<T> = InfiniteData<ListPage<T>, string | undefined>;

/** Applies `update` to every cached copy of one record (lists and the record itself). */
function patchCached(
  qc: QueryClient,
  object: RecordObjectKey,
  id: string,
  update: (r: AnyRecord) => AnyRecord,
): void {
  qc.setQueriesData<ListData<AnyRecord>>({ queryKey: recordKeys.lists(object) }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            items: p.items.map((r) => (r.id === id ? update(r) : r)),
          })),
        }
      : data,
  );
  qc.setQueryData<AnyRecord>(recordKeys.one(object, id), (r) => (r ? update(r) : r));
}

/** Merges a PATCH body into a record for an optimistic update (custom values are merged). */
export function mergeInput(record: AnyRecord, input: RecordInput): AnyRecord {
  const next = { ...record, ...input } as AnyRecord;
  if (input.custom && typeof input.custom === 'object') {
    next.custom = { ...record.custom, ...(input.custom as Record<string, unknown>) };
  }
  return next;
}

export function useCreateRecord<O extends RecordObjectKey>(object: O) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: RecordInput) => api.post<RecordOf<O>>(`/${object}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.all(object) }),
  });
}

interface Snapshot {
  lists: [readonly unknown[], unknown][];
  one: unknown;
}

/**
 * The versions this tab's own writes moved records through (record id → version sent → version
 * returned): a second edit made before the first one's answer arrived was made against the
 * version the first one read, and must be sent against the version it produced.
 */
const ownWrites = new Map<string, Map<number, number>>();

function currentVersion(id: string, seen: number): number {
  const chain = ownWrites.get(id);
  let version = seen;
  for (let hops = 0; chain?.has(version) && hops < 100; hops++) version = chain.get(version)!;
  return version;
}

/**
 * PATCH with an optimistic update of every cached copy, rolled back when the server refuses.
 * `version` is the version the edit was made against (If-Match): when someone else changed the
 * record since, the server refuses (409 VERSION_CONFLICT) and every cached copy shows the
 * record as it is now; the caller shows the error, and the user saves again if they still want
 * to. Writes to one record run one after the other (the mutation scope).
 */
export function useUpdateRecord<O extends RecordObjectKey>(object: O) {
  const qc = useQueryClient();
  return useMutation<
    RecordOf<O>,
    Error,
    { id: string; input: RecordInput; version?: number },
    Snapshot
  >({
    scope: { id: `update:${object}` },
    mutationFn: async ({ id, input, version }) => {
      const sent = version === undefined ? undefined : currentVersion(id, version);
      const saved = await api.patch<RecordOf<O>>(
        `/${object}/${encodeURIComponent(id)}`,
        input,
        sent === undefined ? undefined : { 'if-match': `"${sent}"` },
      );
      if (sent !== undefined) {
        const chain = ownWrites.get(id) ?? new Map<number, number>();
        chain.set(sent, saved.version);
        ownWrites.set(id, chain);
      }
      return saved;
    },
    onMutate: async ({ id, input }) => {
      await qc.cancelQueries({ queryKey: recordKeys.all(object) });
      const snapshot: Snapshot = {
        lists: qc.getQueriesData({ queryKey: recordKeys.lists(object) }),
        one: qc.getQueryData(recordKeys.one(object, id)),
      };
      patchCached(qc, object, id, (r) => mergeInput(r, input));
      return snapshot;
    },
    onError: (err, { id }, snapshot) => {
      if (snapshot) {
        for (const [key, data] of snapshot.lists) qc.setQueryData(key, data);
        qc.setQueryData(recordKeys.one(object, id), snapshot.one);
      }
      const current = isApiError(err, 'VERSION_CONFLICT') ? err.details?.current : undefined;
      if (current && typeof current === 'object') {
        patchCached(qc, object, id, () => current as AnyRecord);
      }
    },
    onSuccess: (record) => patchCached(qc, object, record.id, () => record),
    onSettled: (_r, _e, { id }) => {
      void qc.invalidateQueries({ queryKey: recordKeys.lists(object) });
      void qc.invalidateQueries({ queryKey: recordKeys.timeline(object, id) });
    },
  });
}

export function useDeleteRecord(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/${object}/${encodeURIComponent(id)}`),
    // Not the record itself: its page is still on screen until the caller navigates away.
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: recordKeys.lists(object) });
      void qc.invalidateQueries({ queryKey: ['records', object, 'count'] });
    },
  });
}

export function useRestoreRecord(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<AnyRecord>(`/${object}/${encodeURIComponent(id)}/restore`),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.all(object) }),
  });
}

export type BulkInput = ApiRequestBody<'/contacts/bulk', 'post'>;
export type BulkAction = BulkInput['action'];

export function useBulkAction(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: BulkInput) => api.post<{ updated: number }>(`/${object}/bulk`, input),
    onSettled: () => qc.invalidateQueries({ queryKey: recordKeys.all(object) }),
  });
}

// --- field metadata and custom fields -------------------------------------------------------

export function useFields(object: RecordObjectKey) {
  return useQuery({
    ...fieldsQuery(object),
    select: (d) => (Array.isArray(d) ? d : d.items),
  });
}

export const CUSTOM_FIELD_TYPES = customFieldTypes;
export type CustomField = ItemOf<ApiResponse<'/custom-fields'>>;
export type CustomFieldType = CustomField['type'];
export type CustomFieldInput = Partial<ApiRequestBody<'/custom-fields', 'post'>>;

export function useCustomFields(object: RecordObjectKey) {
  return useQuery({
    queryKey: recordKeys.customFields(object),
    queryFn: () => api.get<Items<CustomField>>('/custom-fields', { object }),
    select: (d) => d.items,
  });
}

function invalidateFieldCaches(qc: QueryClient, object: RecordObjectKey) {
  void qc.invalidateQueries({ queryKey: recordKeys.customFields(object) });
  void qc.invalidateQueries({ queryKey: recordKeys.fields(object) });
}

export function useCreateCustomField(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomFieldInput) =>
      api.post<CustomField>('/custom-fields', { ...input, object }),
    onSuccess: () => invalidateFieldCaches(qc, object),
  });
}

export function useUpdateCustomField(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: CustomFieldInput & { id: string }) =>
      api.patch<CustomField>(`/custom-fields/${encodeURIComponent(id)}`, input),
    onSuccess: () => invalidateFieldCaches(qc, object),
  });
}

export function useDeleteCustomField(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/custom-fields/${encodeURIComponent(id)}`),
    onSuccess: () => invalidateFieldCaches(qc, object),
  });
}

// --- notes, attachments, timeline -----------------------------------------------------------

export type TimelinePage = ApiResponse<'/{object}/{id}/timeline'>;
/**
 * Without `bodyText` (the server's plain-text copy of the note, for search): the web app shows
 * bodyHtml, and builds a note from a timeline event, which does not carry it.
 */
export type Note = Omit<TimelinePage['pinned'][number], 'bodyText'>;
/** A note as its writer gets it back: who it mentions but may not see the record. */
export type WrittenNote = ApiResponse<'/{object}/{id}/notes', 'post'>;
export type TimelineEvent = TimelinePage['items'][number];
export type Attachment = ApiResponse<'/{object}/{id}/attachments', 'post'>;

export function useTimeline(object: RecordObjectKey, id: string, types: string[]) {
  return useInfiniteQuery({
    queryKey: [...recordKeys.timeline(object, id), types] as const,
    queryFn: ({ pageParam, signal }) =>
      api.get<TimelinePage>(
        `/${object}/${encodeURIComponent(id)}/timeline`,
        { types: types.length ? types.join(',') : undefined, cursor: pageParam, limit: 30 },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateNote(object: RecordObjectKey, recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { bodyHtml: string; pinned?: boolean }) =>
      api.post<WrittenNote>(`/${object}/${encodeURIComponent(recordId)}/notes`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.timeline(object, recordId) }),
  });
}

export function useUpdateNote(object: RecordObjectKey, recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: { id: string; bodyHtml?: string; pinned?: boolean }) =>
      api.patch<Note>(`/notes/${encodeURIComponent(id)}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.timeline(object, recordId) }),
  });
}

export function useDeleteNote(object: RecordObjectKey, recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/notes/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.timeline(object, recordId) }),
  });
}

export function useUploadAttachment(object: RecordObjectKey, recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<Attachment>(`/${object}/${encodeURIComponent(recordId)}/attachments`, form);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.timeline(object, recordId) }),
  });
}

export function useDeleteAttachment(object: RecordObjectKey, recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/attachments/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.timeline(object, recordId) }),
  });
}

export function attachmentUrl(id: string): string {
  return `/api/v1/attachments/${encodeURIComponent(id)}/download`;
}

// --- related records ------------------------------------------------------------------------

export function useContactCompanies(contactId: string) {
  return useQuery({
    queryKey: recordKeys.related('contacts', contactId),
    queryFn: () =>
      api.get<Items<ContactCompanyLink>>(`/contacts/${encodeURIComponent(contactId)}/companies`),
    select: (d) => d.items,
  });
}

export function useLinkCompany(contactId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { companyId: string; jobTitle?: string | null; isPrimary?: boolean }) =>
      api.post(`/contacts/${encodeURIComponent(contactId)}/companies`, input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: recordKeys.all('contacts') });
      void qc.invalidateQueries({ queryKey: recordKeys.all('companies') });
    },
  });
}

export function useUnlinkCompany(contactId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (companyId: string) =>
      api.delete(
        `/contacts/${encodeURIComponent(contactId)}/companies/${encodeURIComponent(companyId)}`,
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: recordKeys.all('contacts') });
      void qc.invalidateQueries({ queryKey: recordKeys.all('companies') });
    },
  });
}

export function useCompanyContacts(companyId: string) {
  return useInfiniteQuery({
    queryKey: recordKeys.related('companies', companyId),
    queryFn: ({ pageParam, signal }) =>
      api.get<ListPage<Contact & { jobTitle?: string | null }>>(
        `/companies/${encodeURIComponent(companyId)}/contacts`,
        { cursor: pageParam, limit: 50 },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

// --- saved views ----------------------------------------------------------------------------

/** What a view saves; its filter is the hand-written tree (see FilterNode). */
export type ViewDefinition = Omit<ApiRequestBody<'/views', 'post'>['definition'], 'filter'> & {
  filter?: FilterNode | null;
};

/** The server answers a view's definition as a plain object: it is what was saved (above). */
export type SavedView = Omit<ItemOf<ApiResponse<'/views'>>, 'definition'> & {
  definition: ViewDefinition;
};

export type ViewList = Omit<ApiResponse<'/views'>, 'items'> & { items: SavedView[] };

/** The views of an object the user sees, and the one they last opened (`lastUsedId`). */
export function useViews(object: RecordObjectKey) {
  return useQuery(viewsQuery(object));
}

/** Remember the view opened on an object's list (null: every record), on every device. */
export function useSetLastUsedView(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (viewId: string | null) =>
      request<void>('PUT', '/views/last-used', { body: { object, viewId } }),
    onMutate: (viewId) =>
      qc.setQueryData<ViewList>(recordKeys.views(object), (d) =>
        d ? { ...d, lastUsedId: viewId } : d,
      ),
  });
}

export function useCreateView(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; shared: boolean; definition: ViewDefinition }) =>
      api.post<SavedView>('/views', { ...input, object }),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.views(object) }),
  });
}

export function useUpdateView(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...input
    }: {
      id: string;
      name?: string;
      shared?: boolean;
      definition?: ViewDefinition;
    }) => api.patch<SavedView>(`/views/${encodeURIComponent(id)}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.views(object) }),
  });
}

export function useDeleteView(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/views/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: recordKeys.views(object) }),
  });
}

// --- search ---------------------------------------------------------------------------------

export type SearchHit = ItemOf<ApiResponse<'/search'>>;

export function useSearch(q: string, options: { limit?: number; types?: string } = {}) {
  const term = q.trim();
  return useQuery({
    queryKey: recordKeys.search(term, options.types),
    queryFn: ({ signal }) =>
      api.get<Items<SearchHit>>(
        '/search',
        { q: term, limit: options.limit ?? 20, types: options.types },
        signal,
      ),
    select: (d) => d.items,
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

// --- Vietnamese administrative units ----------------------------------------------------------

export type Province = ItemOf<ApiResponse<'/vn/provinces'>>;
export type Ward = ItemOf<ApiResponse<'/vn/wards'>>;

function itemsOf<T>(d: Items<T> | T[]): T[] {
  return Array.isArray(d) ? d : d.items;
}

export function useProvinces() {
  return useQuery({
    queryKey: recordKeys.provinces,
    queryFn: () => api.get<Items<Province> | Province[]>('/vn/provinces'),
    select: itemsOf,
    staleTime: Infinity,
  });
}

/** Wards of a province, filtered on the server without diacritics ("hoan kiem"). */
export function useWards(provinceCode: string | null | undefined, q: string) {
  return useQuery({
    queryKey: recordKeys.wards(provinceCode ?? '', q.trim()),
    queryFn: ({ signal }) =>
      api.get<Items<Ward> | Ward[]>(
        '/vn/wards',
        { provinceCode: provinceCode ?? undefined, q: q.trim() || undefined },
        signal,
      ),
    select: itemsOf,
    enabled: Boolean(provinceCode),
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
}
