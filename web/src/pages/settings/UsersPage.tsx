import {
  Alert,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailPlus, IconTrash, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreateInvitation,
  useInvitations,
  useRevokeInvitation,
  useRoles,
  useTeams,
  useUpdateUser,
  useUsers,
} from '../../api/settings';
import { useCan, useSession } from '../../api/session';
import type { Invitation, Member, Role } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { RowAction } from '../../components/RowAction';
import {
  LastSeen,
  RowMenu,
  SettingsPage,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

export function UsersPage() {
  const { t } = useTranslation();
  const canInvite = useCan('members', 'create');
  const canReadRoles = useCan('roles', 'read');
  const roles = useRoles(canReadRoles);
  const [inviteOpen, setInviteOpen] = useState(false);

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.users.title')}
      description={t('settings.users.description')}
      create={
        canInvite && {
          label: t('settings.users.invite'),
          icon: <IconMailPlus size={16} />,
          onClick: () => setInviteOpen(true),
          disabled: !roles.data,
        }
      }
    >
      <MembersTable roles={roles.data} />
      {canInvite && <InvitationsTable />}
      {roles.data && (
        <InviteModal opened={inviteOpen} onClose={() => setInviteOpen(false)} roles={roles.data} />
      )}
    </SettingsPage>
  );
}

function MembersTable({ roles }: { roles: Role[] | undefined }) {
  const { t } = useTranslation();
  const session = useSession();
  const users = useUsers();
  const teams = useTeams(useCan('teams', 'read'));
  const canUpdate = useCan('members', 'update');
  const update = useUpdateUser();
  const onError = useErrorHandler();
  const deactivating = useConfirmAction<Member>({
    title: (m) => t('settings.users.deactivateTitle', { name: m?.name ?? '' }),
    text: () => t('settings.users.deactivateText'),
    confirmLabel: t('settings.users.deactivate'),
    loading: update.isPending,
    run: (m) => update.mutateAsync({ id: m.id, status: 'deactivated' }),
    done: (m) => t('settings.users.deactivated', { name: m.name }),
  });

  const teamName = new Map((teams.data ?? []).map((tm) => [tm.id, tm.name]));
  const roleOptions = (roles ?? []).map((r) => ({ value: r.id, label: r.name }));

  const reactivate = (member: Member) =>
    update.mutate(
      { id: member.id, status: 'active' },
      {
        onSuccess: () => notifySuccess(t('settings.users.reactivated', { name: member.name })),
        onError: (err) => onError(err),
      },
    );

  const changeRole = (m: Member, roleId: string | null) => {
    if (!roleId || roleId === m.roleId) return;
    update.mutate(
      { id: m.id, roleId },
      {
        onSuccess: (u) =>
          notifySuccess(t('settings.users.roleChanged', { name: u.name, role: u.roleName })),
        onError: (err) => onError(err),
      },
    );
  };

  return (
    <>
      <SettingsTable
        query={users}
        title={t('settings.users.members')}
        aside={
          users.data && (
            <Text size="sm" c="dimmed">
              {t('settings.users.count', { count: users.data.length })}
            </Text>
          )
        }
        rowKey={(m) => m.id}
        minWidth={760}
        empty={null}
        columns={[
          {
            header: t('fields.name'),
            cell: (m) => (
              <>
                <Text size="sm" fw={500}>
                  {m.name}
                  {m.id === session.user.id && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({t('settings.users.you')})
                    </Text>
                  )}
                </Text>
                <Text size="xs" c="dimmed">
                  {m.email}
                </Text>
              </>
            ),
          },
          {
            header: t('fields.role'),
            td: { miw: 180 },
            cell: (m) =>
              canUpdate && roles && m.id !== session.user.id ? (
                <Select
                  size="xs"
                  aria-label={t('settings.users.roleOf', { name: m.name })}
                  data={roleOptions}
                  value={m.roleId}
                  allowDeselect={false}
                  disabled={update.isPending && update.variables?.id === m.id}
                  onChange={(roleId) => changeRole(m, roleId)}
                />
              ) : (
                <Text size="sm">{m.roleName}</Text>
              ),
          },
          {
            header: t('settings.users.teams'),
            cell: (m) => {
              const teamsOf = m.teamIds.map((id) => teamName.get(id)).filter(Boolean);
              return (
                <Text size="sm" c={teamsOf.length ? undefined : 'dimmed'}>
                  {teamsOf.length ? teamsOf.join(', ') : m.teamIds.length ? m.teamIds.length : '—'}
                </Text>
              );
            },
          },
          {
            header: t('fields.status'),
            cell: (m) => (
              <Badge color={m.status === 'active' ? 'teal' : 'gray'} variant="light">
                {t(`settings.users.status.${m.status}`)}
              </Badge>
            ),
          },
          {
            header: t('settings.users.lastSignIn'),
            cell: (m) => <LastSeen at={m.lastSignInAt} />,
          },
        ]}
        actions={(m) =>
          canUpdate &&
          m.id !== session.user.id && (
            <RowMenu label={t('settings.users.actionsFor', { name: m.name })}>
              {m.status === 'active' ? (
                <Menu.Item
                  color="red"
                  leftSection={<IconUserOff size={16} />}
                  onClick={() => deactivating.open(m)}
                >
                  {t('settings.users.deactivate')}
                </Menu.Item>
              ) : (
                <Menu.Item leftSection={<IconUserCheck size={16} />} onClick={() => reactivate(m)}>
                  {t('settings.users.reactivate')}
                </Menu.Item>
              )}
            </RowMenu>
          )
        }
      />
      {deactivating.modal}
    </>
  );
}

function InvitationsTable() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  const revoking = useConfirmAction<Invitation>({
    title: () => t('settings.users.revokeTitle'),
    text: (inv) => t('settings.users.revokeText', { email: inv?.email ?? '' }),
    confirmLabel: t('settings.users.revoke'),
    loading: revoke.isPending,
    run: (inv) => revoke.mutateAsync(inv.id),
    done: (inv) => t('settings.users.revoked', { email: inv.email }),
  });

  return (
    <>
      <SettingsTable
        query={invitations}
        title={t('settings.users.pending')}
        rowKey={(inv) => inv.id}
        minWidth={640}
        hover={false}
        empty={t('settings.users.noPending')}
        columns={[
          { header: t('fields.email'), cell: (inv) => inv.email },
          { header: t('fields.role'), cell: (inv) => inv.roleName },
          {
            header: t('settings.users.invitedBy'),
            cell: (inv) => (
              <>
                <Text size="sm">{inv.invitedByName}</Text>
                <Text size="xs" c="dimmed">
                  {fmt.dateTime(inv.createdAt)}
                </Text>
              </>
            ),
          },
          { header: t('settings.users.expires'), cell: (inv) => fmt.dateTime(inv.expiresAt) },
        ]}
        actions={(inv) => (
          <RowAction
            label={t('settings.users.revoke')}
            ariaLabel={t('settings.users.revokeFor', { email: inv.email })}
            color="red"
            icon={<IconTrash size={16} />}
            onClick={() => revoking.open(inv)}
          />
        )}
      />
      {revoking.modal}
    </>
  );
}

function InviteModal({
  opened,
  onClose,
  roles,
}: {
  opened: boolean;
  onClose: () => void;
  roles: Role[];
}) {
  const { t } = useTranslation();
  const create = useCreateInvitation();
  const onError = useErrorHandler();
  const [result, setResult] = useState<{ email: string; url: string } | null>(null);
  const defaultRole = roles.find((r) => r.key === 'sales') ?? roles.find((r) => !r.isAdmin);
  const form = useForm({
    initialValues: { email: '', roleId: defaultRole?.id ?? '' },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('validation.email')),
      roleId: (v) => (v ? null : t('validation.required')),
    },
  });

  const close = () => {
    onClose();
    setResult(null);
    form.reset();
  };

  const submit = form.onSubmit((values) => {
    create.mutate(
      { email: values.email.trim(), roleId: values.roleId },
      {
        onSuccess: ({ invitation, url }) => setResult({ email: invitation.email, url }),
        onError: (err) => onError(err, { form }),
      },
    );
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={result ? t('settings.users.inviteCreated') : t('settings.users.invite')}
      centered
      size="lg"
    >
      {result ? (
        <Stack>
          <Alert color="teal" variant="light">
            {t('settings.users.inviteLinkHint', { email: result.email })}
          </Alert>
          <CopyField label={t('settings.users.inviteLink')} value={result.url} />
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setResult(null);
                form.reset();
              }}
            >
              {t('settings.users.inviteAnother')}
            </Button>
            <Button onClick={close}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label={t('fields.email')}
              type="email"
              required
              data-autofocus
              {...form.getInputProps('email')}
            />
            <Select
              label={t('fields.role')}
              data={roles.map((r) => ({ value: r.id, label: r.name }))}
              allowDeselect={false}
              required
              {...form.getInputProps('roleId')}
            />
            <Text size="xs" c="dimmed">
              {t('settings.users.inviteHint')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('settings.users.createInvite')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
