import type { LocalisedText } from '../../core/errors.js';
import {
  col,
  commonFields,
  selectField,
  textField,
  timestampField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import {
  activityKinds,
  activityPriorities,
  activityStatuses,
  callDirections,
  callOutcomes,
  recurrences,
} from './activities.table.js';

const options = <K extends string>(
  keys: readonly K[],
  labels: Record<K, LocalisedText>,
  colors: Partial<Record<K, string>> = {},
): FieldOption[] => keys.map((key) => ({ key, label: labels[key], color: colors[key] ?? null }));

export const kindLabels = {
  task: { vi: 'Công việc', en: 'Task' },
  call: { vi: 'Cuộc gọi', en: 'Call' },
  meeting: { vi: 'Cuộc họp', en: 'Meeting' },
};
export const statusLabels = {
  open: { vi: 'Chưa xong', en: 'Open' },
  done: { vi: 'Đã xong', en: 'Done' },
};
export const priorityLabels = {
  low: { vi: 'Thấp', en: 'Low' },
  normal: { vi: 'Bình thường', en: 'Normal' },
  high: { vi: 'Cao', en: 'High' },
};
export const recurrenceLabels = {
  none: { vi: 'Không lặp lại', en: 'Does not repeat' },
  daily: { vi: 'Hằng ngày', en: 'Daily' },
  weekly: { vi: 'Hằng tuần', en: 'Weekly' },
  monthly: { vi: 'Hằng tháng', en: 'Monthly' },
};
export const directionLabels = {
  inbound: { vi: 'Gọi đến', en: 'Inbound' },
  outbound: { vi: 'Gọi đi', en: 'Outbound' },
};
export const outcomeLabels = {
  connected: { vi: 'Đã nói chuyện', en: 'Connected' },
  no_answer: { vi: 'Không nghe máy', en: 'No answer' },
  busy: { vi: 'Máy bận', en: 'Busy' },
  voicemail: { vi: 'Để lại lời nhắn', en: 'Left voicemail' },
  wrong_number: { vi: 'Sai số', en: 'Wrong number' },
};

const writableTime = (key: string, column: string, label: LocalisedText): FieldDef => ({
  ...timestampField(key, column, label, { nullable: true }),
  readOnly: false,
});

const numberField = (key: string, column: string, label: LocalisedText): FieldDef => ({
  key,
  label,
  type: 'number',
  system: true,
  readOnly: false,
  expr: col(column),
  sortExpr: col(column),
  sortCast: 'numeric',
  nullable: true,
});

export const activityFields: FieldDef[] = [
  {
    ...textField('title', 'title', { vi: 'Tiêu đề', en: 'Title' }, { foldedColumn: 'search_name' }),
    sortExpr: col('sort_name'),
    nullable: false,
    required: true,
    inSearchText: true,
  },
  selectField(
    'kind',
    'kind',
    { vi: 'Loại', en: 'Type' },
    options(activityKinds, kindLabels, { task: '#228be6', call: '#12b886', meeting: '#7950f2' }),
    { nullable: false },
  ),
  selectField(
    'status',
    'status',
    { vi: 'Trạng thái', en: 'Status' },
    options(activityStatuses, statusLabels, { open: '#fab005', done: '#40c057' }),
    { nullable: false },
  ),
  writableTime('dueAt', 'due_at', { vi: 'Hạn / thời gian', en: 'Due / when' }),
  writableTime('endAt', 'end_at', { vi: 'Kết thúc', en: 'Ends' }),
  timestampField('doneAt', 'done_at', { vi: 'Xong lúc', en: 'Done at' }, { nullable: true }),
  selectField(
    'priority',
    'priority',
    { vi: 'Mức ưu tiên', en: 'Priority' },
    options(activityPriorities, priorityLabels, { high: '#fa5252', low: '#868e96' }),
    { nullable: false },
  ),
  selectField(
    'recurrence',
    'recurrence',
    { vi: 'Lặp lại', en: 'Repeats' },
    options(recurrences, recurrenceLabels),
    { nullable: false },
  ),
  selectField(
    'direction',
    'direction',
    { vi: 'Chiều cuộc gọi', en: 'Call direction' },
    options(callDirections, directionLabels),
  ),
  selectField(
    'outcome',
    'outcome',
    { vi: 'Kết quả cuộc gọi', en: 'Call outcome' },
    options(callOutcomes, outcomeLabels, { connected: '#40c057', no_answer: '#fa5252' }),
  ),
  numberField('durationMinutes', 'duration_minutes', {
    vi: 'Thời lượng (phút)',
    en: 'Duration (minutes)',
  }),
  textField('location', 'location', { vi: 'Địa điểm', en: 'Place' }),
  textField(
    'onlineUrl',
    'online_url',
    { vi: 'Link họp trực tuyến', en: 'Online meeting link' },
    {
      type: 'url',
    },
  ),
  textField(
    'description',
    'description',
    { vi: 'Ghi chú', en: 'Notes' },
    { type: 'long_text', sortable: false },
  ),
  numberField('reminderMinutes', 'reminder_minutes', {
    vi: 'Nhắc trước (phút)',
    en: 'Remind before (minutes)',
  }),
  ...commonFields().map((f) =>
    f.key === 'ownerId' ? { ...f, label: { vi: 'Người thực hiện', en: 'Assignee' } } : f,
  ),
];
