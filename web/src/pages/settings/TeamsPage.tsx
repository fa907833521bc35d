import {
  Avatar,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreateTeam,
  useDeleteTeam,
  useTeams,
  useUpdateTeam,
  useUsers,
} from '../../api/settings';
import { useCan } from '../../api/session';
import type { Member, Team } from '../../api/types';
import { ConfirmModal, useConfirmTarget } from '../../components/ConfirmModal';
import { RowAction } from '../../components/RowAction';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

type Editing = { mode: 'create' } | { mode: 'edit'; team: Team };

export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useUsers(useCan('members', 'read'));
  const canCreate = useCan('teams', 'create');
  const canUpdate = useCan('teams', 'update');
  const canDelete = useCan('teams', 'delete');
  const remove = useDeleteTeam();
  const onError = useErrorHandler();
  const [editing, setEditing] = useState<Editing | null>(null);
  const {
    target: deleting,
    opened: deletingOpened,
    open: openDeleting,
    close: closeDeleting,
  } = useConfirmTarget<Team>();

  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));

  return (
    <Stack maw={1000}>
      <PageHeader
        title={t('settings.teams.title')}
        description={t('settings.teams.description')}
        actions={
          canCreate && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditing({ mode: 'create' })}
            >
              {t('settings.teams.create')}
            </Button>
          )
        }
      />
      {teams.isPending ? (
        <InlineLoader />
      ) : teams.isError ? (
        <QueryError error={teams.error} onRetry={() => void teams.refetch()} />
      ) : teams.data.length === 0 ? (
        <Card withBorder padding="xl">
          <Stack align="center" gap="xs">
            <Text fw={500}>{t('settings.teams.empty')}</Text>
            <Text size="sm" c="dimmed" ta="center">
              {t('settings.teams.emptyHint')}
            </Text>
          </Stack>
        </Card>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('fields.label')}</Table.Th>
                  <Table.Th>{t('settings.teams.members')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {teams.data.map((team) => (
                  <Table.Tr key={team.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {team.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <MemberList ids={team.memberIds} byId={byId} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        {canUpdate && (
                          <RowAction
                            label={t('common.edit')}
                            ariaLabel={t('settings.teams.editNamed', { name: team.name })}
                            icon={<IconPencil size={16} />}
                            onClick={() => setEditing({ mode: 'edit', team })}
                          />
                        )}
                        {canDelete && (
                          <RowAction
                            label={t('common.delete')}
                            ariaLabel={t('settings.teams.deleteNamed', { name: team.name })}
                            color="red"
                            icon={<IconTrash size={16} />}
                            onClick={() => openDeleting(team)}
                          />
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}

      <TeamModal
        editing={editing}
        members={users.data}
        onClose={() => setEditing(null)}
        key={editing ? (editing.mode === 'edit' ? editing.team.id : 'new') : 'closed'}
      />
      <ConfirmModal
        opened={deletingOpened}
        title={t('settings.teams.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => closeDeleting()}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifySuccess(t('settings.teams.deleted', { name: deleting.name }));
              closeDeleting();
            },
            onError: (err) => onError(err),
          })
        }
      >
        {t('settings.teams.deleteText')}
      </ConfirmModal>
    </Stack>
  );
}

function MemberList({ ids, byId }: { ids: string[]; byId: Map<string, Member> }) {
  const { t } = useTranslation();
  if (ids.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('settings.teams.noMembers')}
      </Text>
    );
  }
  const names = ids.map((id) => byId.get(id)?.name).filter((n): n is string => Boolean(n));
  if (names.length === 0)
    return <Text size="sm">{t('settings.teams.memberCount', { count: ids.length })}</Text>;
  return (
    <Group gap="xs" wrap="nowrap">
      <Avatar.Group spacing="sm">
        {names.slice(0, 4).map((n) => (
          <Avatar key={n} size="sm" radius="xl" color="initials" name={n} aria-hidden />
        ))}
      </Avatar.Group>
      <Text size="sm" lineClamp={1}>
        {names.join(', ')}
      </Text>
    </Group>
  );
}

function TeamModal({
  editing,
  members,
  onClose,
}: {
  editing: Editing | null;
  members: Member[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const onError = useErrorHandler();
  const team = editing?.mode === 'edit' ? editing.team : null;
  const form = useForm({
    initialValues: { name: team?.name ?? '', memberIds: team?.memberIds ?? [] },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit((values) => {
    const body = {
      name: values.name.trim(),
      ...(members ? { memberIds: values.memberIds } : {}),
    };
    const done = {
      onSuccess: (saved: Team) => {
        notifySuccess(
          t(team ? 'settings.teams.saved' : 'settings.teams.created', { name: saved.name }),
        );
        onClose();
      },
      onError: (err: unknown) => onError(err, { form }),
    };
    if (team) update.mutate({ id: team.id, ...body }, done);
    else create.mutate(body, done);
  });

  const options = (members ?? []).map((m) => ({
    value: m.id,
    label: m.status === 'active' ? m.name : `${m.name} (${t('settings.users.status.deactivated')})`,
  }));

  return (
    <Modal
      opened={editing !== null}
      onClose={onClose}
      title={team ? t('settings.teams.editNamed', { name: team.name }) : t('settings.teams.create')}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('fields.label')}
            required
            data-autofocus
            {...form.getInputProps('name')}
          />
          {members ? (
            <MultiSelect
              label={t('settings.teams.members')}
              data={options}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              {...form.getInputProps('memberIds')}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t('settings.teams.membersNeedPermission')}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
