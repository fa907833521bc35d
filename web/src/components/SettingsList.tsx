/**
 * The scaffolding the settings pages share: the page (header with its create button), a list of
 * items as a table (loading, error, empty state, row actions), a titled section (a card, with a
 * form or not), a form in a modal (cancel and save), and a confirmed action on one item (delete,
 * revoke, deactivate) with its toast.
 */
import {
  ActionIcon,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
  type ModalProps,
  type TableTdProps,
  type TableThProps,
} from '@mantine/core';
import { IconDots, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useId, type FormEventHandler, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess, useErrorHandler } from '../lib/errors';
import { useFormat } from '../lib/format';
import { ConfirmModal, useConfirmTarget } from './ConfirmModal';
import { PageHeader } from './PageHeader';
import { InlineLoader, QueryError } from './PageStates';
import { RowAction } from './RowAction';

/** A settings page: its title, description, the button that creates an item, and the content. */
export function SettingsPage({
  title,
  description,
  maw,
  create,
  children,
}: {
  title: string;
  description: string;
  maw: number;
  /** Shown when given (pass it only when the user may create). */
  create?: { label: string; onClick: () => void; disabled?: boolean; icon?: ReactNode } | false;
  children: ReactNode;
}) {
  return (
    <Stack maw={maw}>
      <PageHeader
        title={title}
        description={description}
        actions={
          create && (
            <Button
              leftSection={create.icon ?? <IconPlus size={16} />}
              onClick={create.onClick}
              disabled={create.disabled}
            >
              {create.label}
            </Button>
          )
        }
      />
      {children}
    </Stack>
  );
}

export interface Column<T> {
  header: ReactNode;
  cell: (item: T) => ReactNode;
  th?: TableThProps;
  td?: TableTdProps;
}

/** The part of a query a list reads (a TanStack query result, or two combined). */
export interface ListQuery<T> {
  data: T[] | undefined;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A list of items as a table. Without `title`: the loader or the error, an empty state in its
 * own card, or the table in a card. With `title`: one card (a section named by the title), with
 * the loader, the error, the empty text or the table below the title.
 */
export function SettingsTable<T>({
  query,
  columns,
  rowKey,
  minWidth,
  empty,
  actions,
  title,
  aside,
  hover = true,
}: {
  query: ListQuery<T>;
  columns: Column<T>[];
  rowKey: (item: T) => string;
  minWidth: number;
  /** Shown instead of the table when there is no item (null: nothing). */
  empty: ReactNode;
  /** The row's actions, in a last column without a visible header. */
  actions?: (item: T) => ReactNode;
  title?: string;
  /** Beside the title (a count, a button). */
  aside?: ReactNode;
  hover?: boolean;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const { data, error } = query;
  const state = error ? (
    <QueryError error={error} onRetry={() => void query.refetch()} />
  ) : !data ? (
    <InlineLoader />
  ) : null;

  const table = !data?.length ? null : (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table verticalSpacing="sm" highlightOnHover={hover}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i} {...c.th}>
                {c.header}
              </Table.Th>
            ))}
            {actions && (
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.map((item) => (
            <Table.Tr key={rowKey(item)}>
              {columns.map((c, i) => (
                <Table.Td key={i} {...c.td}>
                  {c.cell(item)}
                </Table.Td>
              ))}
              {actions && <Table.Td ta="right">{actions(item)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );

  if (title === undefined && aside === undefined) {
    if (state) return state;
    if (!table)
      return (
        empty && (
          <Card withBorder padding="xl">
            {empty}
          </Card>
        )
      );
    return (
      <Card withBorder padding={0}>
        {table}
      </Card>
    );
  }
  return (
    <Card
      withBorder
      padding={0}
      {...(title ? { component: 'section', 'aria-labelledby': titleId } : {})}
    >
      <Group p="md" pb={title ? 'xs' : 'md'} justify="space-between">
        {title && (
          <Title order={2} size="h4" id={titleId}>
            {title}
          </Title>
        )}
        {aside}
      </Group>
      {state ??
        table ??
        (empty && (
          <Text size="sm" c="dimmed" px="md" pb="md" component="div">
            {empty}
          </Text>
        ))}
    </Card>
  );
}

/** A titled card of a settings page (a section), holding a form when `onSubmit` is given. */
export function SettingsSection({
  title,
  onSubmit,
  children,
}: {
  title: string;
  onSubmit?: FormEventHandler<HTMLFormElement>;
  children: ReactNode;
}) {
  const titleId = useId();
  const content = (
    <Stack>
      <Title order={2} size="h4" id={titleId}>
        {title}
      </Title>
      {children}
    </Stack>
  );
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId}>
      {onSubmit ? (
        <form onSubmit={onSubmit} noValidate>
          {content}
        </form>
      ) : (
        content
      )}
    </Card>
  );
}

/** The empty state of a list: an optional icon, what is missing and what to do. */
export function EmptyList({
  icon,
  title,
  hint,
}: {
  icon?: ReactNode;
  title: string;
  hint: string;
}) {
  return (
    <Stack align="center" gap="xs">
      {icon}
      <Text fw={500}>{title}</Text>
      <Text size="sm" c="dimmed" ta="center">
        {hint}
      </Text>
    </Stack>
  );
}

/** Edit and delete buttons at the end of a row (each only when given). */
export function EditDeleteActions({
  edit,
  remove,
}: {
  edit?: { label: string; onClick: () => void } | false;
  remove?: { label: string; onClick: () => void } | false;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {edit && (
        <RowAction
          label={t('common.edit')}
          ariaLabel={edit.label}
          icon={<IconPencil size={16} />}
          onClick={edit.onClick}
        />
      )}
      {remove && (
        <RowAction
          label={t('common.delete')}
          ariaLabel={remove.label}
          color="red"
          icon={<IconTrash size={16} />}
          onClick={remove.onClick}
        />
      )}
    </Group>
  );
}

/** A row's menu of further actions (the "…" button at the end of the row). */
export function RowMenu({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}

/** When something last happened (a key used, a sign-in), or "never". */
export function LastSeen({ at }: { at: string | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Text size="sm" c={at ? undefined : 'dimmed'}>
      {at ? fmt.dateTime(at) : t('settings.users.never')}
    </Text>
  );
}

/** A form in a modal, ending with Cancel (Close when read-only) and its submit button. */
export function FormModal({
  opened,
  onClose,
  title,
  onSubmit,
  submitLabel,
  loading,
  readOnly = false,
  size,
  fullScreen,
  centered,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  onSubmit: FormEventHandler<HTMLFormElement>;
  /** Default: Save. */
  submitLabel?: string;
  loading: boolean;
  readOnly?: boolean;
  size?: ModalProps['size'];
  fullScreen?: boolean;
  centered?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size={size}
      fullScreen={fullScreen}
      centered={centered}
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {readOnly ? t('common.close') : t('common.cancel')}
            </Button>
            {!readOnly && (
              <Button type="submit" loading={loading}>
                {submitLabel ?? t('common.save')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * An action on one item that asks first (delete, revoke, deactivate): `open(item)` shows the
 * confirmation; confirming runs `run`, then closes with the `done` toast, or shows the error.
 * Render `modal` once in the page.
 */
export function useConfirmAction<T>({
  title,
  text,
  confirmLabel,
  loading,
  run,
  done,
  onError,
}: {
  title: (item: T | null) => string;
  text: (item: T | null) => ReactNode;
  /** Default: Delete. */
  confirmLabel?: string;
  loading: boolean;
  run: (item: T) => Promise<unknown>;
  done: (item: T) => string;
  /** Default: the error handler's toast. */
  onError?: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  const handleError = useErrorHandler();
  const confirm = useConfirmTarget<T>();
  const item = confirm.target;
  const modal = (
    <ConfirmModal
      opened={confirm.opened}
      title={title(item)}
      confirmLabel={confirmLabel ?? t('common.delete')}
      loading={loading}
      onClose={confirm.close}
      onConfirm={() => {
        if (!item) return;
        run(item).then(
          () => {
            notifySuccess(done(item));
            confirm.close();
          },
          (err: unknown) => (onError ? onError(err) : handleError(err)),
        );
      }}
    >
      {text(item)}
    </ConfirmModal>
  );
  return { open: confirm.open, modal };
}
