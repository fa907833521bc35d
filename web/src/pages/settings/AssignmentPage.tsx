import {
  ActionIcon,
  Badge,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAssignment,
  useAssignmentObjects,
  useDeleteRule,
  useReorderRules,
  useSaveRule,
  useSetFallback,
  useToggleRule,
  type AssignmentRule,
} from '../../api/assignment';
import { compactFilter, useFields, type FilterGroup, type FilterNode } from '../../api/records';
import { useTeams, useUsers } from '../../api/settings';
import type { Member } from '../../api/types';
import {
  EditDeleteActions,
  EmptyList,
  FormModal,
  SettingsPage,
  SettingsSection,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { FilterBuilder } from '../records/FilterBuilder';

type Editing = { mode: 'create' } | { mode: 'edit'; rule: AssignmentRule };

/**
 * Settings → Phân công tự động: per object that offers it (leads), the rules tried in order on
 * every new record created without an owner (a web form, an API key, an import, or the record
 * form left on "Tự động phân công"), and the fallback owner.
 */
export function AssignmentPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const objects = useAssignmentObjects();
  const [chosen, setChosen] = useState<string | null>(null);
  const object = chosen ?? objects.data?.[0]?.object ?? null;
  const [editing, setEditing] = useState<Editing | null>(null);

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.assignment.title')}
      description={t('settings.assignment.description')}
      create={
        object !== null && {
          label: t('settings.assignment.create'),
          onClick: () => setEditing({ mode: 'create' }),
        }
      }
    >
      {objects.data && objects.data.length > 1 && (
        <SegmentedControl
          aria-label={t('settings.assignment.object')}
          value={object ?? ''}
          onChange={setChosen}
          data={objects.data.map((o) => ({ value: o.object, label: o.label[lang] }))}
        />
      )}
      {objects.data && objects.data.length === 0 && (
        <EmptyList
          title={t('settings.assignment.noObjects')}
          hint={t('settings.assignment.noObjectsHint')}
        />
      )}
      {object && (
        <ObjectRules object={object} editing={editing} setEditing={setEditing} key={object} />
      )}
    </SettingsPage>
  );
}

function ObjectRules({
  object,
  editing,
  setEditing,
}: {
  object: string;
  editing: Editing | null;
  setEditing: (e: Editing | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const view = useAssignment(object);
  const users = useUsers();
  const teams = useTeams();
  const toggle = useToggleRule(object);
  const reorder = useReorderRules(object);
  const remove = useDeleteRule(object);
  const onError = useErrorHandler();
  const rules = view.data?.rules;
  const deleting = useConfirmAction<AssignmentRule>({
    title: (rule) => t('settings.assignment.deleteTitle', { name: rule?.name ?? '' }),
    text: () => t('settings.assignment.deleteText'),
    loading: remove.isPending,
    run: (rule) => remove.mutateAsync(rule.id),
    done: (rule) => t('settings.assignment.deleted', { name: rule.name }),
  });

  const move = (index: number, by: -1 | 1) => {
    if (!rules) return;
    const ids = rules.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    reorder.mutate(ids, { onError: (e) => onError(e) });
  };

  return (
    <Stack>
      <SettingsTable
        title={t('settings.assignment.rules')}
        query={{ data: rules, error: view.error, refetch: view.refetch }}
        rowKey={(r) => r.id}
        minWidth={760}
        empty={
          <EmptyList
            title={t('settings.assignment.empty')}
            hint={t('settings.assignment.emptyHint')}
          />
        }
        columns={[
          {
            header: t('settings.assignment.order'),
            th: { w: 96 },
            cell: (rule) => {
              const i = rules?.indexOf(rule) ?? 0;
              return (
                <Group gap={4} wrap="nowrap">
                  <Text size="sm" w={20} ta="right">
                    {i + 1}
                  </Text>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    disabled={i === 0 || reorder.isPending}
                    aria-label={t('settings.assignment.moveUp', { name: rule.name })}
                    onClick={() => move(i, -1)}
                  >
                    <IconArrowUp size={14} />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    disabled={i === (rules?.length ?? 0) - 1 || reorder.isPending}
                    aria-label={t('settings.assignment.moveDown', { name: rule.name })}
                    onClick={() => move(i, 1)}
                  >
                    <IconArrowDown size={14} />
                  </ActionIcon>
                </Group>
              );
            },
          },
          {
            header: t('settings.assignment.name'),
            cell: (rule) => (
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  {rule.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {rule.conditionText
                    ? rule.conditionText[lang]
                    : t('settings.assignment.everyRecord')}
                </Text>
              </Stack>
            ),
          },
          {
            header: t('settings.assignment.target'),
            cell: (rule) => (
              <Stack gap={2}>
                <Text size="sm">
                  {rule.targetType === 'user'
                    ? (rule.userName ?? '—')
                    : `${t('settings.assignment.team')}: ${rule.teamName ?? '—'}`}
                </Text>
                {rule.method && (
                  <Text size="xs" c="dimmed">
                    {t(`settings.assignment.methods.${rule.method}`)}
                  </Text>
                )}
                {rule.problem && (
                  <Tooltip label={t('settings.assignment.problemHint')} multiline w={260}>
                    <Badge color="orange" variant="light" size="sm">
                      {t(`settings.assignment.problems.${rule.problem}`)}
                    </Badge>
                  </Tooltip>
                )}
              </Stack>
            ),
          },
          {
            header: t('settings.assignment.active'),
            cell: (rule) => (
              <Switch
                checked={rule.active}
                aria-label={t('settings.assignment.activeOf', { name: rule.name })}
                onChange={(e) =>
                  toggle.mutate(
                    { id: rule.id, active: e.currentTarget.checked },
                    { onError: (err) => onError(err) },
                  )
                }
              />
            ),
          },
        ]}
        actions={(rule) => (
          <EditDeleteActions
            edit={{
              label: t('settings.assignment.editNamed', { name: rule.name }),
              onClick: () => setEditing({ mode: 'edit', rule }),
            }}
            remove={{
              label: t('settings.assignment.deleteNamed', { name: rule.name }),
              onClick: () => deleting.open(rule),
            }}
          />
        )}
      />
      <FallbackSection
        object={object}
        value={view.data?.fallbackUserId ?? null}
        members={users.data}
      />
      <RuleModal
        object={object}
        editing={editing}
        members={users.data}
        teams={teams.data}
        onClose={() => setEditing(null)}
        key={editing ? (editing.mode === 'edit' ? editing.rule.id : 'new') : 'closed'}
      />
      {deleting.modal}
    </Stack>
  );
}

function memberOptions(members: Member[] | undefined, keep: string | null) {
  return (members ?? [])
    .filter((m) => m.status === 'active' || m.id === keep)
    .map((m) => ({ value: m.id, label: m.name }));
}

function FallbackSection({
  object,
  value,
  members,
}: {
  object: string;
  value: string | null;
  members: Member[] | undefined;
}) {
  const { t } = useTranslation();
  const save = useSetFallback(object);
  const onError = useErrorHandler();
  return (
    <SettingsSection title={t('settings.assignment.fallback')}>
      <Text size="sm" c="dimmed">
        {t('settings.assignment.fallbackHint')}
      </Text>
      <Select
        label={t('settings.assignment.fallbackUser')}
        placeholder={t('settings.assignment.noFallback')}
        data={memberOptions(members, value)}
        value={value}
        searchable
        clearable
        maw={360}
        nothingFoundMessage={t('common.nothingFound')}
        onChange={(v) =>
          save.mutate(v, {
            onSuccess: () => notifySuccess(t('settings.assignment.fallbackSaved')),
            onError: (e) => onError(e),
          })
        }
      />
    </SettingsSection>
  );
}

interface RuleValues {
  name: string;
  condition: FilterGroup;
  targetType: 'user' | 'team';
  userId: string | null;
  teamId: string | null;
  method: 'round_robin' | 'fewest_open';
  active: boolean;
}

function asGroup(node: unknown): FilterGroup {
  if (node && typeof node === 'object' && ('and' in node || 'or' in node)) {
    return node as FilterGroup;
  }
  return node ? { and: [node as FilterNode] } : { and: [] };
}

function RuleModal({
  object,
  editing,
  members,
  teams,
  onClose,
}: {
  object: string;
  editing: Editing | null;
  members: Member[] | undefined;
  teams: { id: string; name: string }[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveRule(object);
  const fields = useFields(object).data ?? [];
  const onError = useErrorHandler();
  const rule = editing?.mode === 'edit' ? editing.rule : null;
  const form = useForm<RuleValues>({
    initialValues: {
      name: rule?.name ?? '',
      condition: asGroup(rule?.condition ?? null),
      targetType: rule?.targetType ?? 'team',
      userId: rule?.userId ?? null,
      teamId: rule?.teamId ?? null,
      method: rule?.method ?? 'round_robin',
      active: rule?.active ?? true,
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      userId: (v, values) => (values.targetType === 'user' && !v ? t('validation.required') : null),
      teamId: (v, values) => (values.targetType === 'team' && !v ? t('validation.required') : null),
    },
  });
  const submit = form.onSubmit((values) => {
    const body = {
      name: values.name.trim(),
      condition: (compactFilter(values.condition) ?? null) as never,
      targetType: values.targetType,
      userId: values.targetType === 'user' ? values.userId : null,
      teamId: values.targetType === 'team' ? values.teamId : null,
      method: values.targetType === 'team' ? values.method : null,
      active: values.active,
    };
    save.mutate(
      { id: rule?.id ?? null, body },
      {
        onSuccess: () => {
          notifySuccess(
            t(rule ? 'settings.assignment.saved' : 'settings.assignment.created', {
              name: body.name,
            }),
          );
          onClose();
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });
  const conditionError = Object.entries(form.errors).find(([k]) => k.startsWith('condition'));
  return (
    <FormModal
      opened={editing !== null}
      onClose={onClose}
      title={
        rule
          ? t('settings.assignment.editNamed', { name: rule.name })
          : t('settings.assignment.create')
      }
      size="xl"
      onSubmit={submit}
      loading={save.isPending}
    >
      <TextInput
        label={t('settings.assignment.name')}
        placeholder={t('settings.assignment.namePlaceholder')}
        required
        data-autofocus
        {...form.getInputProps('name')}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('settings.assignment.when')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('settings.assignment.whenHint')}
        </Text>
        <FilterBuilder
          fields={fields}
          value={form.values.condition}
          onChange={(next) => form.setFieldValue('condition', next)}
        />
        {conditionError && (
          <Text size="sm" c="red">
            {String(conditionError[1])}
          </Text>
        )}
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('settings.assignment.assignTo')}
        </Text>
        <SegmentedControl
          aria-label={t('settings.assignment.assignTo')}
          data={[
            { value: 'team', label: t('settings.assignment.aTeam') },
            { value: 'user', label: t('settings.assignment.aUser') },
          ]}
          {...form.getInputProps('targetType')}
        />
      </Stack>
      {form.values.targetType === 'user' ? (
        <Select
          label={t('settings.assignment.user')}
          data={memberOptions(members, rule?.userId ?? null)}
          searchable
          required
          nothingFoundMessage={t('common.nothingFound')}
          {...form.getInputProps('userId')}
        />
      ) : (
        <>
          <Select
            label={t('settings.assignment.team')}
            data={(teams ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            searchable
            required
            nothingFoundMessage={t('common.nothingFound')}
            {...form.getInputProps('teamId')}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('settings.assignment.method')}
            </Text>
            <SegmentedControl
              aria-label={t('settings.assignment.method')}
              data={[
                { value: 'round_robin', label: t('settings.assignment.methods.round_robin') },
                { value: 'fewest_open', label: t('settings.assignment.methods.fewest_open') },
              ]}
              {...form.getInputProps('method')}
            />
            <Text size="xs" c="dimmed">
              {t(`settings.assignment.methodHints.${form.values.method}`)}
            </Text>
          </Stack>
        </>
      )}
      <Switch
        label={t('settings.assignment.active')}
        {...form.getInputProps('active', { type: 'checkbox' })}
      />
    </FormModal>
  );
}
