import { defineRecordObject } from '../records/define.js';
import { messages as recordMessages } from '../records/normalize.js';
import { activityFields } from './activities.fields.js';
import { activityCreateBody, activityPatchBody, activityResponse } from './activities.schemas.js';
import { activitiesSearch } from './activities.search.js';
import { activityKind, messages } from './activities.service.js';
import { activities } from './activities.table.js';
import './activities.timeline.js';

const mine = {
  read: true,
  create: true,
  update: true,
  delete: true,
  export: true,
  scope: 'team',
} as const;

/**
 * Activities (hoạt động): tasks, calls and meetings, one object with a kind (see
 * docs/ARCHITECTURE.md, "Activities"). The owner is the assignee. Linked to records of any
 * object (activity_links), shown on their timelines, feeding their last activity; My day,
 * reminders and the calendar feed read them (activities.routes.ts).
 */
export const activitiesObject = defineRecordObject({
  key: 'activities',
  label: {
    one: { vi: 'Hoạt động', en: 'Activity' },
    many: { vi: 'Hoạt động', en: 'Activities' },
  },
  table: activities,
  columns: {
    id: activities.id,
    workspaceId: activities.workspaceId,
    ownerId: activities.ownerId,
    deletedAt: activities.deletedAt,
    name: activities.title,
  },
  permissions: {
    defaults: {
      manager: { ...mine, import: true, scope: 'all' },
      sales: mine,
      support: mine,
      marketing: mine,
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: activityFields,
  schemas: { create: activityCreateBody, patch: activityPatchBody, response: activityResponse },
  kind: activityKind,
  search: activitiesSearch,
  constraints: {
    activities_owner_fk: { path: 'ownerId', text: recordMessages.owner },
    activities_end_after_start: { path: 'endAt', text: messages.endBeforeStart },
  },
  exportColumns: [
    'kind',
    'title',
    'status',
    'dueAt',
    'endAt',
    'doneAt',
    'priority',
    'recurrence',
    'direction',
    'outcome',
    'durationMinutes',
    'location',
    'onlineUrl',
    'description',
    'ownerId',
    'tags',
    'createdAt',
  ],
  import: {
    hints: {
      title: ['tieu de', 'cong viec', 'noi dung', 'viec', 'title', 'subject', 'task'],
      kind: ['loai', 'type', 'kind'],
      dueAt: ['han', 'han chot', 'thoi han', 'ngay', 'thoi gian', 'due', 'due date', 'when'],
      priority: ['uu tien', 'muc uu tien', 'priority'],
      status: ['trang thai', 'status'],
      description: ['ghi chu', 'mo ta', 'notes', 'description'],
    },
  },
  fuzzyDuplicates: false,
  presentation: {
    icon: 'checklist',
    order: 15,
    titleField: 'title',
    subtitleFields: ['kind', 'dueAt'],
    defaultColumns: ['title', 'kind', 'status', 'dueAt', 'priority', 'ownerId', 'updatedAt'],
    kanbanField: 'status',
    headerFacts: ['kind', 'status', 'dueAt', 'endAt', 'priority', 'ownerId', 'recurrence'],
    panels: ['activityLinks'],
    form: {
      quick: ['kind', 'title', 'dueAt', 'endAt', 'priority', 'ownerId', 'description'],
      more: [
        'status',
        'recurrence',
        'reminderMinutes',
        'direction',
        'outcome',
        'durationMinutes',
        'location',
        'onlineUrl',
        'tags',
      ],
      defaults: { kind: 'task', status: 'open', priority: 'normal', recurrence: 'none' },
    },
  },
});
