import {
  ActionIcon,
  Badge,
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compactFilter, useFields, type FilterGroup, type FilterNode } from '../../api/records';
import {
  useDeleteScoringRule,
  usePatchScoringRule,
  useSaveScoringRule,
  useSaveScoringSettings,
  useScoring,
  type ScoringRule,
  type ScoringSettings,
  type ScoringView,
} from '../../api/scoring';
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

/** The scored object this page edits (the registry's first; later objects get a switcher). */
const OBJECT = 'leads';
/** Fields a rule may not name (the score's own): the server refuses them too. */
const DERIVED = new Set(['score', 'grade', 'scoreReasons']);

type Editing = { mode: 'create' } | { mode: 'edit'; rule: ScoringRule };

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * Settings → Chấm điểm khách hàng tiềm năng: rules on fields (the list filter's pickers) and on
 * events, each with its points; the grade thresholds and the weekly decay. Every change
 * rescores the leads (in the background in a large workspace).
 */
export function ScoringPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const view = useScoring(OBJECT);
  const patch = usePatchScoringRule(OBJECT);
  const remove = useDeleteScoringRule(OBJECT);
  const onError = useErrorHandler();
  const [editing, setEditing] = useState<Editing | null>(null);
  const rules = view.data?.rules;
  const name = (rule: ScoringRule | null | undefined) => rule?.label[lang] ?? '';
  const deleting = useConfirmAction<ScoringRule>({
    title: (rule) => t('settings.scoring.deleteTitle', { name: name(rule) }),
    text: () => t('settings.scoring.deleteText'),
    loading: remove.isPending,
    run: (rule) => remove.mutateAsync(rule.id),
    done: (rule) => t('settings.scoring.deleted', { name: name(rule) }),
  });
  const eventName = (key: string | null) =>
    view.data?.events.find((e) => e.key === key)?.label[lang] ?? key ?? '';

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.scoring.title')}
      description={t('settings.scoring.description')}
      create={{
        label: t('settings.scoring.create'),
        onClick: () => setEditing({ mode: 'create' }),
      }}
    >
      <SettingsTable
        title={t('settings.scoring.rules')}
        query={{ data: rules, error: view.error, refetch: view.refetch }}
        rowKey={(r) => r.id}
        minWidth={720}
        empty={
          <EmptyList title={t('settings.scoring.empty')} hint={t('settings.scoring.emptyHint')} />
        }
        columns={[
          {
            header: t('settings.scoring.order'),
            th: { w: 96 },
            cell: (rule) => {
              const i = rules?.indexOf(rule) ?? 0;
              const move = (by: -1 | 1) =>
                patch.mutate(
                  { id: rule.id, body: { position: i + by } },
                  { onError: (e) => onError(e) },
                );
              return (
                <Group gap={4} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    disabled={i === 0 || patch.isPending}
                    aria-label={t('settings.scoring.moveUp', { name: name(rule) })}
                    onClick={() => move(-1)}
                  >
                    <IconArrowUp size={14} />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    disabled={i === (rules?.length ?? 0) - 1 || patch.isPending}
                    aria-label={t('settings.scoring.moveDown', { name: name(rule) })}
                    onClick={() => move(1)}
                  >
                    <IconArrowDown size={14} />
                  </ActionIcon>
                </Group>
              );
            },
          },
          {
            header: t('settings.scoring.rule'),
            cell: (rule) => (
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  {name(rule)}
                </Text>
                <Text size="xs" c="dimmed">
                  {rule.kind === 'event'
                    ? t('settings.scoring.whenEvent', { event: eventName(rule.eventKey) })
                    : t('settings.scoring.whenField')}
                </Text>
              </Stack>
            ),
          },
          {
            header: t('settings.scoring.points'),
            th: { w: 110 },
            cell: (rule) => (
              <Badge color={rule.points >= 0 ? 'green' : 'red'} variant="light">
                {signed(rule.points)}
              </Badge>
            ),
          },
          {
            header: t('settings.scoring.active'),
            th: { w: 110 },
            cell: (rule) => (
              <Switch
                checked={rule.active}
                aria-label={t('settings.scoring.activeOf', { name: name(rule) })}
                onChange={(e) =>
                  patch.mutate(
                    { id: rule.id, body: { active: e.currentTarget.checked } },
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
              label: t('settings.scoring.editNamed', { name: name(rule) }),
              onClick: () => setEditing({ mode: 'edit', rule }),
            }}
            remove={{
              label: t('settings.scoring.deleteNamed', { name: name(rule) }),
              onClick: () => deleting.open(rule),
            }}
          />
        )}
      />
      {view.data && <SettingsForm key={JSON.stringify(view.data.settings)} view={view.data} />}
      {view.data && (
        <RuleModal
          view={view.data}
          editing={editing}
          onClose={() => setEditing(null)}
          key={editing ? (editing.mode === 'edit' ? editing.rule.id : 'new') : 'closed'}
        />
      )}
      {deleting.modal}
    </SettingsPage>
  );
}

/** "Đã lưu; đã chấm lại điểm 120 khách hàng tiềm năng" (or: in the background). */
function useSavedText() {
  const { t } = useTranslation();
  return (rescore: { mode: 'done' | 'queued'; records: number }) =>
    rescore.mode === 'queued'
      ? t('settings.scoring.rescoreQueued', { count: rescore.records })
      : t('settings.scoring.rescored', { count: rescore.records });
}

function SettingsForm({ view }: { view: ScoringView }) {
  const { t } = useTranslation();
  const save = useSaveScoringSettings(OBJECT);
  const onError = useErrorHandler();
  const saved = useSavedText();
  const form = useForm<ScoringSettings>({ initialValues: view.settings });
  const submit = form.onSubmit((values) =>
    save.mutate(values, {
      onSuccess: (res) => notifySuccess(saved(res.rescore)),
      onError: (err) => onError(err, { form }),
    }),
  );
  const num = (key: keyof ScoringSettings, label: string, min: number) => (
    <NumberInput
      label={label}
      min={min}
      max={100_000}
      allowDecimal={false}
      {...form.getInputProps(key)}
    />
  );
  return (
    <SettingsSection title={t('settings.scoring.grades')} onSubmit={submit}>
      <Text size="sm" c="dimmed">
        {t('settings.scoring.gradesHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        {num('gradeA', t('settings.scoring.gradeA'), -100_000)}
        {num('gradeB', t('settings.scoring.gradeB'), -100_000)}
        {num('gradeC', t('settings.scoring.gradeC'), -100_000)}
      </SimpleGrid>
      <NumberInput
        label={t('settings.scoring.decay')}
        description={t('settings.scoring.decayHint')}
        min={0}
        max={1000}
        allowDecimal={false}
        maw={360}
        {...form.getInputProps('decayPerWeek')}
      />
      <Group justify="flex-end">
        <Button type="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </SettingsSection>
  );
}

interface RuleValues {
  kind: 'field' | 'event';
  condition: FilterGroup;
  eventKey: string | null;
  points: number | string;
  label: string;
  active: boolean;
}

function asGroup(node: unknown): FilterGroup {
  if (node && typeof node === 'object' && ('and' in node || 'or' in node)) {
    return node as FilterGroup;
  }
  return node ? { and: [node as FilterNode] } : { and: [] };
}

function RuleModal({
  view,
  editing,
  onClose,
}: {
  view: ScoringView;
  editing: Editing | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const save = useSaveScoringRule(OBJECT);
  const fields = (useFields(OBJECT).data ?? []).filter((f) => !DERIVED.has(f.key));
  const onError = useErrorHandler();
  const saved = useSavedText();
  const rule = editing?.mode === 'edit' ? editing.rule : null;
  const form = useForm<RuleValues>({
    initialValues: {
      kind: rule?.kind ?? 'field',
      condition: asGroup(rule?.condition ?? null),
      eventKey: rule?.eventKey ?? view.events[0]?.key ?? null,
      points: rule?.points ?? 10,
      label: rule?.label.vi ?? '',
      active: rule?.active ?? true,
    },
    validate: {
      points: (v) =>
        typeof v === 'number' && Number.isInteger(v) && v >= -1000 && v <= 1000
          ? null
          : t('settings.scoring.pointsRange'),
      eventKey: (v, values) => (values.kind === 'event' && !v ? t('validation.required') : null),
    },
  });
  const submit = form.onSubmit((values) => {
    const label = values.label.trim() ? { vi: values.label.trim() } : null;
    const what =
      values.kind === 'field'
        ? { condition: (compactFilter(values.condition) ?? { and: [] }) as never }
        : { eventKey: values.eventKey ?? '' };
    const common = { ...what, points: Number(values.points), label, active: values.active };
    save.mutate(
      { id: rule?.id ?? null, body: rule ? common : { kind: values.kind, ...common } },
      {
        onSuccess: (res) => {
          notifySuccess(
            `${t(rule ? 'settings.scoring.saved' : 'settings.scoring.created', {
              name: res.label[lang],
            })} ${saved(res.rescore)}`,
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
          ? t('settings.scoring.editNamed', { name: rule.label[lang] })
          : t('settings.scoring.create')
      }
      size="xl"
      onSubmit={submit}
      loading={save.isPending}
    >
      {!rule && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('settings.scoring.kind')}
          </Text>
          <SegmentedControl
            aria-label={t('settings.scoring.kind')}
            data={[
              { value: 'field', label: t('settings.scoring.kinds.field') },
              { value: 'event', label: t('settings.scoring.kinds.event') },
            ]}
            {...form.getInputProps('kind')}
          />
        </Stack>
      )}
      {form.values.kind === 'field' ? (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('settings.scoring.when')}
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
      ) : (
        <Select
          label={t('settings.scoring.event')}
          data={view.events.map((e) => ({ value: e.key, label: e.label[lang] }))}
          required
          {...form.getInputProps('eventKey')}
        />
      )}
      <NumberInput
        label={t('settings.scoring.points')}
        description={t('settings.scoring.pointsHint')}
        min={-1000}
        max={1000}
        allowDecimal={false}
        required
        maw={220}
        {...form.getInputProps('points')}
      />
      <TextInput
        label={t('settings.scoring.label')}
        description={t('settings.scoring.labelHint')}
        placeholder={t('settings.scoring.labelPlaceholder')}
        maxLength={200}
        {...form.getInputProps('label')}
      />
      <Switch
        label={t('settings.scoring.active')}
        {...form.getInputProps('active', { type: 'checkbox' })}
      />
    </FormModal>
  );
}
