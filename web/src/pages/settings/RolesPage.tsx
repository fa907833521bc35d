import { Alert, Badge, Button, Group, Menu, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconCopy, IconEye, IconLock, IconPencil, IconTrash } from '@tabler/icons-react';
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
import {
  FormModal,
  RowMenu,
  SettingsPage,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
import { normalizePermissions, PermissionMatrix } from '../../components/PermissionMatrix';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { FieldAccessModal } from './FieldAccessModal';

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
  const [fieldAccessOf, setFieldAccessOf] = useState<Role | null>(null);
  const deleting = useConfirmAction<Role>({
    title: (role) => t('settings.roles.deleteTitle', { name: role?.name ?? '' }),
    text: (role) =>
      role && role.memberCount > 0
        ? t('settings.roles.deleteInUse', { count: role.memberCount })
        : t('settings.roles.deleteText'),
    loading: remove.isPending,
    run: (role) => remove.mutateAsync(role.id),
    done: (role) => t('settings.roles.deleted', { name: role.name }),
    onError: (err) =>
      onError(err, {
        title: isApiError(err, 'CONFLICT') ? t('settings.roles.inUse') : undefined,
      }),
  });

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.roles.title')}
      description={t('settings.roles.description')}
      create={
        canCreate && {
          label: t('settings.roles.create'),
          onClick: () => setEditing({ mode: 'create' }),
          disabled: !objects.data,
        }
      }
    >
      <SettingsTable
        query={{
          data: objects.data && roles.data,
          error: roles.error ?? objects.error,
          refetch: () => {
            void roles.refetch();
            void objects.refetch();
          },
        }}
        rowKey={(role) => role.id}
        minWidth={560}
        empty={null}
        columns={[
          {
            header: t('fields.label'),
            cell: (role) => (
              <>
                <Text size="sm" fw={500}>
                  {role.name}
                </Text>
                {role.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {role.description}
                  </Text>
                )}
              </>
            ),
          },
          {
            header: t('settings.roles.kind'),
            cell: (role) => (
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
            ),
          },
          {
            header: t('settings.roles.memberCount'),
            th: { ta: 'right' },
            td: { ta: 'right' },
            cell: (role) => role.memberCount,
          },
        ]}
        actions={(role) => {
          const editable = !role.builtIn && canUpdate;
          return (
            <Group gap={4} justify="flex-end" wrap="nowrap">
              <Button
                size="xs"
                variant="subtle"
                leftSection={editable ? <IconPencil size={14} /> : <IconEye size={14} />}
                onClick={() =>
                  setEditing(editable ? { mode: 'edit', role } : { mode: 'view', role })
                }
                aria-label={t(editable ? 'settings.roles.editNamed' : 'settings.roles.viewNamed', {
                  name: role.name,
                })}
              >
                {editable ? t('common.edit') : t('common.view')}
              </Button>
              {(canCreate || canUpdate || (canDelete && !role.builtIn)) && (
                <RowMenu label={t('settings.roles.moreFor', { name: role.name })}>
                  {canCreate && !role.isAdmin && (
                    <Menu.Item
                      leftSection={<IconCopy size={16} />}
                      onClick={() => setEditing({ mode: 'create', from: role })}
                    >
                      {t('settings.roles.duplicate')}
                    </Menu.Item>
                  )}
                  {canUpdate && !role.isAdmin && (
                    <Menu.Item
                      leftSection={<IconLock size={16} />}
                      onClick={() => setFieldAccessOf(role)}
                    >
                      {t('settings.roles.fieldAccess.open')}
                    </Menu.Item>
                  )}
                  {canDelete && !role.builtIn && (
                    <Menu.Item
                      color="red"
                      leftSection={<IconTrash size={16} />}
                      onClick={() => deleting.open(role)}
                    >
                      {t('common.delete')}
                    </Menu.Item>
                  )}
                </RowMenu>
              )}
            </Group>
          );
        }}
      />
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
      {deleting.modal}
      {fieldAccessOf && (
        <FieldAccessModal
          key={fieldAccessOf.id}
          role={fieldAccessOf}
          onClose={() => setFieldAccessOf(null)}
        />
      )}
    </SettingsPage>
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
    <FormModal
      opened={editing !== null}
      onClose={onClose}
      title={title}
      size="xl"
      fullScreen={mobile}
      onSubmit={submit}
      loading={create.isPending || update.isPending}
      readOnly={readOnly}
    >
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
    </FormModal>
  );
}
