import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconCopy, IconDots, IconEye, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  useCreateRole,
  useDeleteRole,
  usePermissionObjects,
  useRoles,
  useUpdateRole,
} from '../../api/settings';
import { useCan } from '../../api/session';
import type { PermissionObject, Permissions, Role } from '../../api/types';
import { ConfirmModal, useConfirmTarget } from '../../components/ConfirmModal';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { normalizePermissions, PermissionMatrix } from '../../components/PermissionMatrix';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

type Editing =
  { mode: 'create'; from?: Role } | { mode: 'edit'; role: Role } | { mode: 'view'; role: Role };

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const objects = usePermissionObjects();
  const canCreate = useCan('roles', 'create');
  const canUpdate = useCan('roles', 'update');
  const canDelete = useCan('roles', 'delete');
  const remove = useDeleteRole();
  const onError = useErrorHandler();
  const [editing, setEditing] = useState<Editing | null>(null);
  const {
    target: deleting,
    opened: deletingOpened,
    open: openDeleting,
    close: closeDeleting,
  } = useConfirmTarget<Role>();

  const error = roles.error ?? objects.error;
  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('settings.roles.title')}
        description={t('settings.roles.description')}
        actions={
          canCreate && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditing({ mode: 'create' })}
              disabled={!objects.data}
            >
              {t('settings.roles.create')}
            </Button>
          )
        }
      />
      {error ? (
        <QueryError
          error={error}
          onRetry={() => {
            void roles.refetch();
            void objects.refetch();
          }}
        />
      ) : !roles.data || !objects.data ? (
        <InlineLoader />
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('fields.label')}</Table.Th>
                  <Table.Th>{t('settings.roles.kind')}</Table.Th>
                  <Table.Th ta="right">{t('settings.roles.memberCount')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {roles.data.map((role) => {
                  const editable = !role.builtIn && canUpdate;
                  return (
                    <Table.Tr key={role.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {role.name}
                        </Text>
                        {role.description && (
                          <Text size="xs" c="dimmed" lineClamp={2}>
                            {role.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {role.builtIn ? (
                            <Badge variant="light" color="gray">
                              {t('settings.roles.builtIn')}
                            </Badge>
                          ) : (
                            <Badge variant="light">{t('settings.roles.custom')}</Badge>
                          )}
                          {role.isAdmin && (
                            <Badge variant="light" color="orange">
                              {t('settings.roles.admin')}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{role.memberCount}</Table.Td>
                      <Table.Td ta="right">
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="subtle"
                            leftSection={
                              editable ? <IconPencil size={14} /> : <IconEye size={14} />
                            }
                            onClick={() =>
                              setEditing(editable ? { mode: 'edit', role } : { mode: 'view', role })
                            }
                            aria-label={t(
                              editable ? 'settings.roles.editNamed' : 'settings.roles.viewNamed',
                              { name: role.name },
                            )}
                          >
                            {editable ? t('common.edit') : t('common.view')}
                          </Button>
                          {(canCreate || (canDelete && !role.builtIn)) && (
                            <Menu position="bottom-end" withinPortal>
                              <Menu.Target>
                                <ActionIcon
                                  variant="subtle"
                                  color="gray"
                                  aria-label={t('settings.roles.moreFor', { name: role.name })}
                                >
                                  <IconDots size={16} />
                                </ActionIcon>
                              </Menu.Target>
                              <Menu.Dropdown>
                                {canCreate && !role.isAdmin && (
                                  <Menu.Item
                                    leftSection={<IconCopy size={16} />}
                                    onClick={() => setEditing({ mode: 'create', from: role })}
                                  >
                                    {t('settings.roles.duplicate')}
                                  </Menu.Item>
                                )}
                                {canDelete && !role.builtIn && (
                                  <Menu.Item
                                    color="red"
                                    leftSection={<IconTrash size={16} />}
                                    onClick={() => openDeleting(role)}
                                  >
                                    {t('common.delete')}
                                  </Menu.Item>
                                )}
                              </Menu.Dropdown>
                            </Menu>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}

      {objects.data && (
        <RoleModal
          key={
            editing
              ? editing.mode === 'create'
                ? `new-${editing.from?.id ?? ''}`
                : `${editing.mode}-${editing.role.id}`
              : 'closed'
          }
          editing={editing}
          objects={objects.data}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal
        opened={deletingOpened}
        title={t('settings.roles.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => closeDeleting()}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifySuccess(t('settings.roles.deleted', { name: deleting.name }));
              closeDeleting();
            },
            onError: (err) => {
              onError(err, {
                title: isApiError(err, 'CONFLICT') ? t('settings.roles.inUse') : undefined,
              });
            },
          })
        }
      >
        {deleting && deleting.memberCount > 0
          ? t('settings.roles.deleteInUse', { count: deleting.memberCount })
          : t('settings.roles.deleteText')}
      </ConfirmModal>
    </Stack>
  );
}

function RoleModal({
  editing,
  objects,
  onClose,
}: {
  editing: Editing | null;
  objects: PermissionObject[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 48em)');
  const create = useCreateRole();
  const update = useUpdateRole();
  const onError = useErrorHandler();

  const role = editing && editing.mode !== 'create' ? editing.role : null;
  const source = editing?.mode === 'create' ? editing.from : role;
  const readOnly = editing?.mode === 'view';
  const form = useForm({
    initialValues: {
      name:
        editing?.mode === 'create' && editing.from
          ? t('settings.roles.copyOf', { name: editing.from.name })
          : (role?.name ?? ''),
      description: source?.description ?? '',
      permissions: normalizePermissions(objects, source?.permissions) as Permissions,
    },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit((values) => {
    const body = {
      name: values.name.trim(),
      description: values.description.trim(),
      permissions: values.permissions,
    };
    const done = {
      onSuccess: (saved: Role) => {
        notifySuccess(
          t(role ? 'settings.roles.saved' : 'settings.roles.created', { name: saved.name }),
        );
        onClose();
      },
      onError: (err: unknown) => onError(err, { form, fields: ['name', 'description'] }),
    };
    if (role) update.mutate({ id: role.id, ...body }, done);
    else create.mutate(body, done);
  });

  const title =
    editing?.mode === 'view'
      ? (role?.name ?? '')
      : role
        ? t('settings.roles.editNamed', { name: role.name })
        : t('settings.roles.create');

  return (
    <Modal opened={editing !== null} onClose={onClose} title={title} size="xl" fullScreen={mobile}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {readOnly && role && (
            <Alert variant="light" color={role.isAdmin ? 'orange' : 'gray'}>
              {role.isAdmin ? t('settings.roles.adminNote') : t('settings.roles.builtInNote')}
            </Alert>
          )}
          <TextInput
            label={t('fields.label')}
            required
            readOnly={readOnly}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <Textarea
            label={t('fields.description')}
            autosize
            minRows={2}
            maxRows={5}
            readOnly={readOnly}
            {...form.getInputProps('description')}
          />
          <Text fw={500} size="sm">
            {t('settings.roles.permissions')}
          </Text>
          {role?.isAdmin ? (
            <Text size="sm" c="dimmed">
              {t('settings.roles.adminEverything')}
            </Text>
          ) : (
            <PermissionMatrix
              objects={objects}
              value={form.values.permissions}
              onChange={(next) => form.setFieldValue('permissions', next)}
              readOnly={readOnly}
            />
          )}
          {form.errors.permissions && (
            <Text c="red" size="sm" role="alert">
              {form.errors.permissions}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {readOnly ? t('common.close') : t('common.cancel')}
            </Button>
            {!readOnly && (
              <Button type="submit" loading={create.isPending || update.isPending}>
                {t('common.save')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
