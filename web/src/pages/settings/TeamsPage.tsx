import { Avatar, Group, MultiSelect, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
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
import {
  EditDeleteActions,
  EmptyList,
  FormModal,
  SettingsPage,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
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
  const [editing, setEditing] = useState<Editing | null>(null);
  const deleting = useConfirmAction<Team>({
    title: (team) => t('settings.teams.deleteTitle', { name: team?.name ?? '' }),
    text: () => t('settings.teams.deleteText'),
    loading: remove.isPending,
    run: (team) => remove.mutateAsync(team.id),
    done: (team) => t('settings.teams.deleted', { name: team.name }),
  });

  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));

  return (
    <SettingsPage
      maw={1000}
      title={t('settings.teams.title')}
      description={t('settings.teams.description')}
      create={
        canCreate && {
          label: t('settings.teams.create'),
          onClick: () => setEditing({ mode: 'create' }),
        }
      }
    >
      <SettingsTable
        query={teams}
        rowKey={(team) => team.id}
        minWidth={520}
        empty={<EmptyList title={t('settings.teams.empty')} hint={t('settings.teams.emptyHint')} />}
        columns={[
          {
            header: t('fields.label'),
            cell: (team) => (
              <Text size="sm" fw={500}>
                {team.name}
              </Text>
            ),
          },
          {
            header: t('settings.teams.members'),
            cell: (team) => <MemberList ids={team.memberIds} byId={byId} />,
          },
        ]}
        actions={(team) => (
          <EditDeleteActions
            edit={
              canUpdate && {
                label: t('settings.teams.editNamed', { name: team.name }),
                onClick: () => setEditing({ mode: 'edit', team }),
              }
            }
            remove={
              canDelete && {
                label: t('settings.teams.deleteNamed', { name: team.name }),
                onClick: () => deleting.open(team),
              }
            }
          />
        )}
      />
      <TeamModal
        editing={editing}
        members={users.data}
        onClose={() => setEditing(null)}
        key={editing ? (editing.mode === 'edit' ? editing.team.id : 'new') : 'closed'}
      />
      {deleting.modal}
    </SettingsPage>
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
    <FormModal
      opened={editing !== null}
      onClose={onClose}
      title={team ? t('settings.teams.editNamed', { name: team.name }) : t('settings.teams.create')}
      centered
      onSubmit={submit}
      loading={create.isPending || update.isPending}
    >
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
    </FormModal>
  );
}
