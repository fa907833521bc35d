import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDots, IconMailPlus, IconTrash, IconUserCheck, IconUserOff } from '@tabler/icons-react';
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
import { ConfirmModal, useConfirmTarget } from '../../components/ConfirmModal';
import { CopyField } from '../../components/CopyField';
import { RowAction } from '../../components/RowAction';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

export function UsersPage() {
  const { t } = useTranslation();
  const canInvite = useCan('members', 'create');
  const canReadRoles = useCan('roles', 'read');
  const roles = useRoles(canReadRoles);
  const [inviteOpen, setInviteOpen] = useState(false);

  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('settings.users.title')}
        description={t('settings.users.description')}
        actions={
          canInvite && (
            <Button
              leftSection={<IconMailPlus size={16} />}
              onClick={() => setInviteOpen(true)}
              disabled={!roles.data}
            >
              {t('settings.users.invite')}
            </Button>
          )
        }
      />
      <MembersTable roles={roles.data} />
      {canInvite && <InvitationsTable />}
      {roles.data && (
        <InviteModal opened={inviteOpen} onClose={() => setInviteOpen(false)} roles={roles.data} />
      )}
    </Stack>
  );
}

function MembersTable({ roles }: { roles: Role[] | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const session = useSession();
  const users = useUsers();
  const teams = useTeams(useCan('teams', 'read'));
  const canUpdate = useCan('members', 'update');
  const update = useUpdateUser();
  const onError = useErrorHandler();
  const {
    target: confirm,
    opened: confirmOpened,
    open: openConfirm,
    close: closeConfirm,
  } = useConfirmTarget<Member>();

  if (users.isPending) return <InlineLoader />;
  if (users.isError) return <QueryError error={users.error} onRetry={() => void users.refetch()} />;

  const teamName = new Map((teams.data ?? []).map((tm) => [tm.id, tm.name]));
  const roleOptions = (roles ?? []).map((r) => ({ value: r.id, label: r.name }));

  const setStatus = (member: Member, status: Member['status']) =>
    update.mutate(
      { id: member.id, status },
      {
        onSuccess: () => {
          closeConfirm();
          notifySuccess(
            t(status === 'active' ? 'settings.users.reactivated' : 'settings.users.deactivated', {
              name: member.name,
            }),
          );
        },
        onError: (err) => onError(err),
      },
    );

  return (
    <Card withBorder padding={0} component="section" aria-labelledby="members-title">
      <Group p="md" pb="xs" justify="space-between">
        <Title order={2} size="h4" id="members-title">
          {t('settings.users.members')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('settings.users.count', { count: users.data.length })}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.name')}</Table.Th>
              <Table.Th>{t('fields.role')}</Table.Th>
              <Table.Th>{t('settings.users.teams')}</Table.Th>
              <Table.Th>{t('fields.status')}</Table.Th>
              <Table.Th>{t('settings.users.lastSignIn')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.map((m) => {
              const isSelf = m.id === session.user.id;
              const teamsOf = m.teamIds.map((id) => teamName.get(id)).filter(Boolean);
              return (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.name}
                      {isSelf && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({t('settings.users.you')})
                        </Text>
                      )}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {m.email}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={180}>
                    {canUpdate && roles && !isSelf ? (
                      <Select
                        size="xs"
                        aria-label={t('settings.users.roleOf', { name: m.name })}
                        data={roleOptions}
                        value={m.roleId}
                        allowDeselect={false}
                        disabled={update.isPending && update.variables?.id === m.id}
                        onChange={(roleId) => {
                          if (!roleId || roleId === m.roleId) return;
                          update.mutate(
                            { id: m.id, roleId },
                            {
                              onSuccess: (u) =>
                                notifySuccess(
                                  t('settings.users.roleChanged', {
                                    name: u.name,
                                    role: u.roleName,
                                  }),
                                ),
                              onError: (err) => onError(err),
                            },
                          );
                        }}
                      />
                    ) : (
                      <Text size="sm">{m.roleName}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={teamsOf.length ? undefined : 'dimmed'}>
                      {teamsOf.length
                        ? teamsOf.join(', ')
                        : m.teamIds.length
                          ? m.teamIds.length
                          : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={m.status === 'active' ? 'teal' : 'gray'} variant="light">
                      {t(`settings.users.status.${m.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={m.lastSignInAt ? undefined : 'dimmed'}>
                      {m.lastSignInAt ? fmt.dateTime(m.lastSignInAt) : t('settings.users.never')}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    {canUpdate && !isSelf && (
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={t('settings.users.actionsFor', { name: m.name })}
                          >
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {m.status === 'active' ? (
                            <Menu.Item
                              color="red"
                              leftSection={<IconUserOff size={16} />}
                              onClick={() => openConfirm(m)}
                            >
                              {t('settings.users.deactivate')}
                            </Menu.Item>
                          ) : (
                            <Menu.Item
                              leftSection={<IconUserCheck size={16} />}
                              onClick={() => setStatus(m, 'active')}
                            >
                              {t('settings.users.reactivate')}
                            </Menu.Item>
                          )}
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={confirmOpened}
        title={t('settings.users.deactivateTitle', { name: confirm?.name ?? '' })}
        confirmLabel={t('settings.users.deactivate')}
        loading={update.isPending}
        onClose={() => closeConfirm()}
        onConfirm={() => confirm && setStatus(confirm, 'deactivated')}
      >
        {t('settings.users.deactivateText')}
      </ConfirmModal>
    </Card>
  );
}

function InvitationsTable() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  const onError = useErrorHandler();
  const {
    target: confirm,
    opened: confirmOpened,
    open: openConfirm,
    close: closeConfirm,
  } = useConfirmTarget<Invitation>();

  return (
    <Card withBorder padding={0} component="section" aria-labelledby="invitations-title">
      <Title order={2} size="h4" id="invitations-title" p="md" pb="xs">
        {t('settings.users.pending')}
      </Title>
      {invitations.isPending ? (
        <InlineLoader />
      ) : invitations.isError ? (
        <QueryError error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : invitations.data.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          {t('settings.users.noPending')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.email')}</Table.Th>
                <Table.Th>{t('fields.role')}</Table.Th>
                <Table.Th>{t('settings.users.invitedBy')}</Table.Th>
                <Table.Th>{t('settings.users.expires')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td>{inv.email}</Table.Td>
                  <Table.Td>{inv.roleName}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{inv.invitedByName}</Text>
                    <Text size="xs" c="dimmed">
                      {fmt.dateTime(inv.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(inv.expiresAt)}</Table.Td>
                  <Table.Td ta="right">
                    <RowAction
                      label={t('settings.users.revoke')}
                      ariaLabel={t('settings.users.revokeFor', { email: inv.email })}
                      color="red"
                      icon={<IconTrash size={16} />}
                      onClick={() => openConfirm(inv)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal
        opened={confirmOpened}
        title={t('settings.users.revokeTitle')}
        confirmLabel={t('settings.users.revoke')}
        loading={revoke.isPending}
        onClose={() => closeConfirm()}
        onConfirm={() =>
          confirm &&
          revoke.mutate(confirm.id, {
            onSuccess: () => {
              closeConfirm();
              notifySuccess(t('settings.users.revoked', { email: confirm.email }));
            },
            onError: (err) => onError(err),
          })
        }
      >
        {t('settings.users.revokeText', { email: confirm?.email ?? '' })}
      </ConfirmModal>
    </Card>
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
