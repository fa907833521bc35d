/**
 * The 360° timeline of a record: a note composer, pinned notes on top, then every event (notes,
 * files, field changes, created/deleted/restored, and whatever later modules add), filterable by
 * type. Note HTML is sanitised by the server and is the only HTML ever rendered as such.
 */
import {
  ActionIcon,
  Anchor,
  Box,
  Button,
  Card,
  Chip,
  FileButton,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Tooltip,
  Typography,
} from '@mantine/core';
import {
  IconAt,
  IconBold,
  IconItalic,
  IconList,
  IconListNumbers,
  IconPaperclip,
  IconPin,
  IconPinnedOff,
  IconTrash,
} from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  attachmentUrl,
  useFields,
  useCreateNote,
  useDeleteAttachment,
  useDeleteNote,
  useTimeline,
  useUpdateNote,
  useUploadAttachment,
  type Note,
  type RecordObjectKey,
  type TimelineEvent,
} from '../../api/records';
import { ApiError } from '../../api/client';
import { useCan } from '../../api/session';
import { useUsers } from '../../api/settings';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, notifyWarning, useErrorHandler } from '../../lib/errors';
import { foldedFilter } from './inputs';
import { useFormat } from '../../lib/format';
import { describeChanges } from './changes';

const FILTERS = ['note', 'attachment', 'field_change', 'lifecycle'] as const;
const TYPES_OF: Record<(typeof FILTERS)[number], string[]> = {
  note: ['note'],
  attachment: ['attachment'],
  field_change: ['field_change'],
  lifecycle: ['created', 'deleted', 'restored', 'converted'],
};

export function Timeline({ object, recordId }: { object: RecordObjectKey; recordId: string }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<string[]>([]);
  const types = filters.flatMap((f) => TYPES_OF[f as keyof typeof TYPES_OF] ?? []);
  const timeline = useTimeline(object, recordId, types);
  const canUpdate = useCan(object, 'update');
  const pinned = timeline.data?.pages[0]?.pinned ?? [];
  const events = timeline.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm">
      {canUpdate && <NoteComposer object={object} recordId={recordId} />}
      <Chip.Group multiple value={filters} onChange={setFilters}>
        <Group gap={6} role="group" aria-label={t('records.timeline.filter')}>
          {FILTERS.map((f) => (
            <Chip key={f} value={f} size="xs" variant="outline">
              {t(`records.timeline.filters.${f}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {timeline.isPending && <InlineLoader />}
      {timeline.isError && (
        <QueryError error={timeline.error} onRetry={() => void timeline.refetch()} />
      )}
      {pinned.length > 0 && (
        <Stack gap="xs" aria-label={t('records.timeline.pinned')} role="list">
          {pinned.map((n) => (
            <div role="listitem" key={n.id}>
              <NoteCard object={object} recordId={recordId} note={n} canUpdate={canUpdate} />
            </div>
          ))}
        </Stack>
      )}
      <Stack gap="xs" role="list" aria-label={t('records.timeline.title')}>
        {events.map((e) => (
          <div role="listitem" key={`${e.type}-${e.id}`}>
            <EventCard object={object} recordId={recordId} event={e} canUpdate={canUpdate} />
          </div>
        ))}
      </Stack>
      {timeline.isSuccess && events.length === 0 && pinned.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('records.timeline.empty')}
        </Text>
      )}
      {timeline.hasNextPage && (
        <Button
          variant="subtle"
          loading={timeline.isFetchingNextPage}
          onClick={() => void timeline.fetchNextPage()}
        >
          {t('records.timeline.more')}
        </Button>
      )}
    </Stack>
  );
}

/** Text as HTML (a member's name inside a mention). */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A small rich-text composer: a contentEditable box with bold, italic and lists (the browser's
 * editing commands), and @mentions: typing @ (or the @ button) opens a picker of the active
 * members; the one chosen goes in as `<span data-mention="id">@Tên</span>` and is notified if
 * they may read the record (the server tells who may not). The server sanitises whatever HTML
 * arrives.
 */
function NoteComposer({ object, recordId }: { object: RecordObjectKey; recordId: string }) {
  const { t } = useTranslation();
  const editor = useRef<HTMLDivElement>(null);
  const create = useCreateNote(object, recordId);
  const upload = useUploadAttachment(object, recordId);
  const onError = useErrorHandler();
  const [empty, setEmpty] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const users = useUsers(useCan('members', 'read'));
  const [mentioning, setMentioning] = useState(false);
  /** Where the caret was when the picker opened, and whether an @ was typed there. */
  const caret = useRef<{ range: Range | null; typedAt: boolean }>({ range: null, typedAt: false });

  const exec = (command: string) => {
    editor.current?.focus();
    document.execCommand(command);
  };

  const openMention = (typedAt: boolean) => {
    const selection = window.getSelection();
    const inside =
      selection && selection.rangeCount > 0 && editor.current?.contains(selection.anchorNode);
    caret.current = { range: inside ? selection.getRangeAt(0).cloneRange() : null, typedAt };
    setMentioning(true);
  };

  const insertMention = (userId: string | null) => {
    setMentioning(false);
    const el = editor.current;
    const user = users.data?.find((u) => u.id === userId);
    if (!el) return;
    el.focus();
    const selection = window.getSelection();
    if (caret.current.range && selection) {
      selection.removeAllRanges();
      selection.addRange(caret.current.range);
    }
    if (!user) return;
    // The @ typed to open the picker becomes part of the mention.
    if (caret.current.typedAt) document.execCommand('delete');
    document.execCommand(
      'insertHTML',
      false,
      `<span data-mention="${user.id}">@${escapeHtml(user.name)}</span>&nbsp;`,
    );
    setEmpty(false);
  };

  const save = () => {
    const el = editor.current;
    if (!el || !el.textContent?.trim()) return;
    create.mutate(
      { bodyHtml: el.innerHTML },
      {
        onSuccess: (written) => {
          el.innerHTML = '';
          setEmpty(true);
          setError(null);
          notifySuccess(t('records.notes.added'));
          const unreachable = written.unreachableMentions.map((m) => m.name);
          if (unreachable.length > 0) {
            notifyWarning(t('records.notes.mentionUnreachable', { names: unreachable.join(', ') }));
          }
        },
        onError: (err) => {
          const message = err instanceof ApiError ? err.fieldErrors[0]?.message : undefined;
          if (message) setError(message);
          else onError(err);
        },
      },
    );
  };

  const tools = [
    { cmd: 'bold', icon: IconBold, label: t('records.notes.bold') },
    { cmd: 'italic', icon: IconItalic, label: t('records.notes.italic') },
    { cmd: 'insertUnorderedList', icon: IconList, label: t('records.notes.bulletList') },
    { cmd: 'insertOrderedList', icon: IconListNumbers, label: t('records.notes.numberedList') },
  ];

  return (
    <Paper withBorder p="xs" radius="md">
      <Group gap={2} mb={4} role="toolbar" aria-label={t('records.notes.formatting')}>
        {tools.map(({ cmd, icon: Icon, label }) => (
          <Tooltip key={cmd} label={label}>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={label}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => exec(cmd)}
            >
              <Icon size={16} />
            </ActionIcon>
          </Tooltip>
        ))}
        <Tooltip label={t('records.notes.mention')}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('records.notes.mention')}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => openMention(false)}
          >
            <IconAt size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Box
        ref={editor}
        contentEditable
        role="textbox"
        aria-multiline
        aria-label={t('records.notes.label')}
        aria-invalid={error ? true : undefined}
        data-placeholder={t('records.notes.placeholder')}
        onInput={(e) => setEmpty(!(e.currentTarget.textContent ?? '').trim())}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            save();
          }
        }}
        onKeyUp={(e) => {
          if (e.key === '@') openMention(true);
        }}
        style={{
          minHeight: 72,
          padding: 8,
          border: `1px solid ${error ? 'var(--mantine-color-error)' : 'var(--mantine-color-default-border)'}`,
          borderRadius: 'var(--mantine-radius-sm)',
          outlineOffset: 2,
          whiteSpace: 'pre-wrap',
        }}
        className="sen-note-editor"
      />
      {mentioning && (
        <Select
          mt={4}
          size="xs"
          aria-label={t('records.notes.mentionWho')}
          placeholder={t('records.notes.mentionWho')}
          searchable
          autoFocus
          defaultDropdownOpened
          filter={foldedFilter}
          data={(users.data ?? [])
            .filter((u) => u.status === 'active')
            .map((u) => ({ value: u.id, label: u.name }))}
          value={null}
          onChange={insertMention}
          onBlur={() => setMentioning(false)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') insertMention(null);
          }}
        />
      )}
      {error && (
        <Text size="xs" c="red" mt={4} role="alert">
          {error}
        </Text>
      )}
      <Group justify="space-between" mt="xs">
        <FileButton
          onChange={(file) =>
            file &&
            upload.mutate(file, {
              onSuccess: () =>
                notifySuccess(t('records.attachments.uploaded', { name: file.name })),
              onError: (err) => onError(err),
            })
          }
        >
          {(props) => (
            <Button
              {...props}
              variant="default"
              size="xs"
              leftSection={<IconPaperclip size={14} />}
              loading={upload.isPending}
            >
              {t('records.attachments.upload')}
            </Button>
          )}
        </FileButton>
        <Button size="xs" onClick={save} disabled={empty} loading={create.isPending}>
          {t('records.notes.add')}
        </Button>
      </Group>
    </Paper>
  );
}

/** The related record an event or note belongs to (a company's contact), as a link to it. */
function RelatedRecord({ type, id, name }: { type: string; id: string; name: string }) {
  const { t } = useTranslation();
  return (
    <>
      {t('records.timeline.about')}{' '}
      <Anchor component={Link} to={`/${type}/${encodeURIComponent(id)}`} size="xs">
        {name}
      </Anchor>
    </>
  );
}

function NoteCard({
  object,
  recordId,
  note,
  canUpdate,
}: {
  object: RecordObjectKey;
  recordId: string;
  note: Note;
  canUpdate: boolean;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const update = useUpdateNote(object, recordId);
  const remove = useDeleteNote(object, recordId);
  const onError = useErrorHandler();
  return (
    <Card
      withBorder
      padding="sm"
      radius="md"
      bg={note.pinned ? 'var(--mantine-color-yellow-light)' : undefined}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" mb={4}>
        <Text size="xs" c="dimmed">
          {t('records.timeline.noteBy', {
            name: note.author?.name ?? t('records.timeline.someone'),
            when: fmt.dateTime(note.createdAt),
          })}
          {note.recordId !== recordId && (
            <>
              {' · '}
              <RelatedRecord
                type={note.recordType}
                id={note.recordId}
                name={note.recordName ?? t('records.timeline.change.unknown')}
              />
            </>
          )}
        </Text>
        {canUpdate && (
          <Group gap={0} wrap="nowrap">
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label={note.pinned ? t('records.notes.unpin') : t('records.notes.pin')}
              onClick={() =>
                update.mutate({ id: note.id, pinned: !note.pinned }, { onError: (e) => onError(e) })
              }
            >
              {note.pinned ? <IconPinnedOff size={14} /> : <IconPin size={14} />}
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              size="sm"
              aria-label={t('records.notes.delete')}
              onClick={() => remove.mutate(note.id, { onError: (e) => onError(e) })}
            >
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
        )}
      </Group>
      <Typography fz="sm">
        {/* Server-sanitised HTML (sanitize-html allow-list): the one place HTML is rendered. */}
        <div dangerouslySetInnerHTML={{ __html: note.bodyHtml }} />
      </Typography>
    </Card>
  );
}

/** `{ changes: { field: { from, to } } }` or `{ field, from, to }`. */
function changesOf(
  data: Record<string, unknown> | null,
): { field: string; from: unknown; to: unknown }[] {
  if (!data) return [];
  const changes = data.changes;
  if (changes && typeof changes === 'object' && !Array.isArray(changes)) {
    return Object.entries(changes as Record<string, { from?: unknown; to?: unknown }>).map(
      ([field, c]) => ({ field, from: c?.from, to: c?.to }),
    );
  }
  if (Array.isArray(changes)) {
    return (changes as { field: string; from: unknown; to: unknown }[]).map((c) => ({ ...c }));
  }
  if (typeof data.field === 'string') return [{ field: data.field, from: data.from, to: data.to }];
  return [];
}

function EventCard({
  object,
  recordId,
  event,
  canUpdate,
}: {
  object: RecordObjectKey;
  recordId: string;
  event: TimelineEvent;
  canUpdate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const removeAttachment = useDeleteAttachment(object, recordId);
  // A related record's change (a quote's order, a company's contact) is worded with the fields of
  // that record's object: its labels and option values ("Giao hàng: Chưa giao → Giao một phần").
  const fields = useFields((event.recordType || object) as RecordObjectKey);
  const onError = useErrorHandler();
  const who = event.actor?.name ?? t('records.timeline.someone');
  const when = fmt.dateTime(event.occurredAt);
  const other = event.recordId !== recordId ? event.recordName : null;
  const data = event.data ?? {};

  if (event.type === 'note' && typeof data.bodyHtml === 'string') {
    const note: Note = {
      id: String(data.noteId),
      recordType: event.recordType,
      recordId: event.recordId,
      recordName: event.recordName,
      bodyHtml: data.bodyHtml,
      pinned: data.pinned === true,
      author: event.actor,
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
    };
    return <NoteCard object={object} recordId={recordId} note={note} canUpdate={canUpdate} />;
  }

  let body: React.ReactNode = null;
  if (event.type === 'attachment') {
    const id = String(data.attachmentId ?? data.id ?? event.id);
    const name = String(data.fileName ?? t('records.attachments.file'));
    body = (
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <IconPaperclip size={14} aria-hidden />
          <Anchor href={attachmentUrl(id)} size="sm" truncate download>
            {name}
          </Anchor>
          {typeof data.sizeBytes === 'number' && (
            <Text size="xs" c="dimmed">
              {fmt.number(Math.max(1, Math.round(data.sizeBytes / 1024)))} KB
            </Text>
          )}
        </Group>
        {canUpdate && (
          <ActionIcon
            variant="subtle"
            color="red"
            size="sm"
            aria-label={t('records.attachments.delete', { name })}
            onClick={() => removeAttachment.mutate(id, { onError: (e) => onError(e) })}
          >
            <IconTrash size={14} />
          </ActionIcon>
        )}
      </Group>
    );
  } else if (
    (event.type === 'task' || event.type === 'call' || event.type === 'meeting') &&
    typeof data.activityId === 'string'
  ) {
    // An activity linked to this record (or a related one): its title, state and time.
    const at = typeof data.dueAt === 'string' ? data.dueAt : null;
    const details = [
      data.status === 'done' ? t('activities.status.done') : t('activities.status.open'),
      at ? fmt.dateTime(at) : null,
      typeof data.outcome === 'string' ? t(`activities.outcomes.${data.outcome}`) : null,
      typeof data.durationMinutes === 'number'
        ? t('activities.minutes', { count: data.durationMinutes })
        : null,
      typeof data.ownerName === 'string' ? data.ownerName : null,
    ].filter(Boolean);
    body = (
      <Stack gap={2}>
        <Anchor component={Link} to={`/activities/${data.activityId}`} size="sm" fw={500}>
          {String(data.title ?? '')}
        </Anchor>
        <Text size="xs" c="dimmed">
          {details.join(' · ')}
        </Text>
        {typeof data.description === 'string' && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
            {data.description}
          </Text>
        )}
      </Stack>
    );
  } else if (event.type === 'converted') {
    body = <ConvertedInto data={data} />;
  } else if (event.type === 'form_submission') {
    // A lead capture form's submission: its answers in words, what became of it, where from.
    const lang = i18n.language === 'en' ? 'en' : 'vi';
    const values = Array.isArray(data.values)
      ? (data.values as { key: string; label: { vi: string; en: string }; value: string }[])
      : [];
    const outcome = typeof data.outcome === 'string' ? data.outcome : null;
    body = (
      <Stack gap={2}>
        {values.map((v) => (
          <Text size="sm" key={v.key}>
            <Text span c="dimmed" size="sm">
              {v.label[lang]}:
            </Text>{' '}
            {v.value}
          </Text>
        ))}
        {(outcome || typeof data.utmSource === 'string') && (
          <Text size="xs" c="dimmed">
            {outcome ? t(`settings.leadForms.outcomes.${outcome}`) : ''}
            {typeof data.utmSource === 'string'
              ? ` · ${t('settings.leadForms.utmSource')}: ${data.utmSource}`
              : ''}
            {typeof data.utmCampaign === 'string'
              ? ` · ${t('settings.leadForms.utmCampaign')}: ${data.utmCampaign}`
              : ''}
          </Text>
        )}
      </Stack>
    );
  } else if (event.type === 'field_change' && !fields.isPending) {
    // Worded once the object's fields are there (a related object's may come later): never as
    // the raw values meanwhile.
    const names = (data.names ?? {}) as Record<string, string>;
    body = (
      <Stack gap={2}>
        {describeChanges(t, fmt, fields.data, changesOf(data), names).map((line, i) => (
          <Text size="sm" key={i}>
            {line}
          </Text>
        ))}
      </Stack>
    );
  }

  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed" mb={body ? 4 : 0}>
        {t(`records.timeline.events.${event.type}`, {
          defaultValue: event.type,
          who,
        })}
        {other && (
          <>
            {' · '}
            <RelatedRecord type={event.recordType} id={event.recordId} name={other} />
          </>
        )}{' '}
        · {when}
      </Text>
      {body}
    </Card>
  );
}

/** A lead's conversion: what it became, as links, and what moved to the contact. */
function ConvertedInto({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const names = (data.names ?? {}) as Record<string, string>;
  const changes = changesOf(data);
  const to = (field: string) => changes.find((c) => c.field === field)?.to;
  const made = [
    ['convertedContactId', 'contacts'],
    ['convertedCompanyId', 'companies'],
    ['convertedDealId', 'deals'],
  ] as const;
  const notes = Number(to('movedNotes') ?? 0);
  const files = Number(to('movedAttachments') ?? 0);
  return (
    <Stack gap={2}>
      {made.map(([field, object]) => {
        const id = to(field);
        if (typeof id !== 'string') return null;
        return (
          <Text size="sm" key={field}>
            {t(`records.timeline.converted.${object}`)}:{' '}
            <Anchor component={Link} to={`/${object}/${encodeURIComponent(id)}`} size="sm">
              {names[id] ?? t('records.timeline.change.unknown')}
            </Anchor>
          </Text>
        );
      })}
      {notes + files > 0 && (
        <Text size="sm" c="dimmed">
          {t('records.timeline.converted.moved', { notes, files })}
        </Text>
      )}
    </Stack>
  );
}
