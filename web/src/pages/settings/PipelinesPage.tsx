import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconArrowBackUp,
  IconArrowDown,
  IconArrowUp,
  IconListNumbers,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreatePipeline,
  useDeletePipeline,
  usePipelines,
  useReorderPipelines,
  useSaveStages,
  useUpdatePipeline,
  type Pipeline,
} from '../../api/pipelines';
import { useCan } from '../../api/session';
import { RowAction } from '../../components/RowAction';
import {
  EditDeleteActions,
  EmptyList,
  FormModal,
  SettingsPage,
  SettingsTable,
} from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

/** One row of a stage list being edited: an existing stage (id) or a new one. */
interface StageRow {
  /** React's key: the stage's id, or a made-up one for a new stage. */
  key: string;
  id: string | null;
  name: string;
  probability: number | string;
}

interface StageValues {
  stages: StageRow[];
}

type Editing =
  | { mode: 'create' }
  | { mode: 'edit'; pipeline: Pipeline }
  | { mode: 'stages'; pipeline: Pipeline }
  | { mode: 'delete'; pipeline: Pipeline };

let newKeys = 0;
const newKey = () => `new-${++newKeys}`;

/** The stages a new pipeline starts with, in the UI's language (Vietnamese B2B selling). */
function defaultStages(t: TFunction): StageRow[] {
  const names = t('settings.pipelines.defaultStages', { returnObjects: true }) as string[];
  const probabilities = [10, 25, 50, 75, 90];
  return names.map((name, i) => ({
    key: newKey(),
    id: null,
    name,
    probability: probabilities[i] ?? 50,
  }));
}

/** Per-stage checks the server makes too: a name, no name twice, a probability of 0–100. */
function stageErrors(t: TFunction, stages: StageRow[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    const name = s.name.trim().toLocaleLowerCase('vi');
    if (!name) errors[`stages.${i}.name`] = t('validation.required');
    else if (seen.has(name)) errors[`stages.${i}.name`] = t('settings.pipelines.nameTwice');
    seen.add(name);
    const p = s.probability;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100) {
      errors[`stages.${i}.probability`] = t('settings.pipelines.probabilityRange');
    }
  });
  if (stages.length === 0) errors.stages = t('settings.pipelines.atLeastOneStage');
  return errors;
}

/** The form paths that have an input (the error handler puts the server's field errors there). */
const stagePaths = (stages: StageRow[]) =>
  stages.flatMap((_, i) => [`stages.${i}.name`, `stages.${i}.probability`]);
/** A stage named by an unknown or repeated id: the error shows on its name. */
const idErrorsOnNames = (stages: StageRow[]) =>
  Object.fromEntries(stages.map((_, i) => [`stages.${i}.id`, `stages.${i}.name`]));

const stagesBody = (stages: StageRow[]) =>
  stages.map((s) => ({
    ...(s.id ? { id: s.id } : {}),
    name: s.name.trim(),
    probability: Number(s.probability),
  }));

/**
 * Settings → Quy trình bán hàng: the workspace's pipelines in order (the deals board offers
 * them in this order), each with its ordered stages and their win probabilities, and the days
 * after which an untouched deal is marked as rotting. Removing a stage that holds deals asks
 * which stage they go to; deleting a pipeline asks which pipeline its deals go to.
 */
export function PipelinesPage() {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const reorder = useReorderPipelines();
  const canUpdate = useCan('pipelines', 'update');
  const onError = useErrorHandler();
  const [editing, setEditing] = useState<Editing | null>(null);
  const items = pipelines.data;
  const close = () => setEditing(null);
  // The modal follows the pipeline's latest state (deal counts) while it is open.
  const current = (p: Pipeline) => items?.find((x) => x.id === p.id) ?? p;

  const move = (p: Pipeline, by: -1 | 1) => {
    if (!items) return;
    const ids = items.map((x) => x.id);
    const i = ids.indexOf(p.id);
    const j = i + by;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    reorder.mutate(ids, { onError: (e) => onError(e) });
  };

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.pipelines.title')}
      description={t('settings.pipelines.description')}
      create={
        canUpdate && {
          label: t('settings.pipelines.create'),
          onClick: () => setEditing({ mode: 'create' }),
        }
      }
    >
      <SettingsTable
        query={{ data: items, error: pipelines.error, refetch: pipelines.refetch }}
        rowKey={(p) => p.id}
        minWidth={760}
        empty={
          <EmptyList
            title={t('settings.pipelines.empty')}
            hint={t('settings.pipelines.emptyHint')}
          />
        }
        columns={[
          {
            header: t('settings.pipelines.order'),
            th: { w: 96 },
            cell: (p) => {
              const i = items?.indexOf(p) ?? 0;
              return (
                <Group gap={4} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    disabled={!canUpdate || i === 0 || reorder.isPending}
                    aria-label={t('settings.pipelines.moveUp', { name: p.name })}
                    onClick={() => move(p, -1)}
                  >
                    <IconArrowUp size={14} />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    disabled={!canUpdate || i === (items?.length ?? 0) - 1 || reorder.isPending}
                    aria-label={t('settings.pipelines.moveDown', { name: p.name })}
                    onClick={() => move(p, 1)}
                  >
                    <IconArrowDown size={14} />
                  </ActionIcon>
                </Group>
              );
            },
          },
          {
            header: t('settings.pipelines.pipeline'),
            cell: (p) => (
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  {p.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {p.stages
                    .map((s) =>
                      t('settings.pipelines.stageSummary', {
                        name: s.name,
                        probability: s.probability,
                      }),
                    )
                    .join(' → ')}
                </Text>
              </Stack>
            ),
          },
          {
            header: t('settings.pipelines.deals'),
            th: { w: 110 },
            cell: (p) => <Text size="sm">{p.dealCount}</Text>,
          },
          {
            header: t('settings.pipelines.rotting'),
            th: { w: 150 },
            cell: (p) => (
              <Text size="sm" c={p.rottingDays ? undefined : 'dimmed'}>
                {p.rottingDays
                  ? t('settings.pipelines.rottingAfter', { count: p.rottingDays })
                  : t('settings.pipelines.rottingOff')}
              </Text>
            ),
          },
        ]}
        actions={
          canUpdate
            ? (p) => (
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <RowAction
                    label={t('settings.pipelines.stages')}
                    ariaLabel={t('settings.pipelines.stagesOf', { name: p.name })}
                    icon={<IconListNumbers size={16} />}
                    onClick={() => setEditing({ mode: 'stages', pipeline: p })}
                  />
                  <EditDeleteActions
                    edit={{
                      label: t('settings.pipelines.editNamed', { name: p.name }),
                      onClick: () => setEditing({ mode: 'edit', pipeline: p }),
                    }}
                    remove={{
                      label: t('settings.pipelines.deleteNamed', { name: p.name }),
                      onClick: () => setEditing({ mode: 'delete', pipeline: p }),
                    }}
                  />
                </Group>
              )
            : undefined
        }
      />
      {editing?.mode === 'create' && <CreateModal onClose={close} />}
      {editing?.mode === 'edit' && (
        <EditModal key={editing.pipeline.id} pipeline={current(editing.pipeline)} onClose={close} />
      )}
      {editing?.mode === 'stages' && (
        <StagesModal
          key={editing.pipeline.id}
          pipeline={current(editing.pipeline)}
          onClose={close}
        />
      )}
      {editing?.mode === 'delete' && items && (
        <DeleteModal
          key={editing.pipeline.id}
          pipeline={current(editing.pipeline)}
          others={items.filter((p) => p.id !== editing.pipeline.id)}
          onClose={close}
        />
      )}
    </SettingsPage>
  );
}

/** Phones get the whole screen for a modal with a list in it. */
function useFullScreen() {
  return useMediaQuery('(max-width: 36em)') ?? false;
}

function RottingInput(props: ReturnType<UseFormReturnType<PipelineValues>['getInputProps']>) {
  const { t } = useTranslation();
  return (
    <NumberInput
      label={t('settings.pipelines.rottingDays')}
      description={t('settings.pipelines.rottingHint')}
      min={1}
      max={365}
      allowDecimal={false}
      allowNegative={false}
      suffix={` ${t('settings.pipelines.days')}`}
      maw={260}
      {...props}
    />
  );
}

interface PipelineValues {
  name: string;
  rottingDays: number | string;
}

function pipelineErrors(t: TFunction, v: PipelineValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = t('validation.required');
  const r = v.rottingDays;
  if (r !== '' && (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 365)) {
    errors.rottingDays = t('settings.pipelines.rottingRange');
  }
  return errors;
}

const rottingOf = (v: number | string) => (v === '' ? null : Number(v));

function CreateModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreatePipeline();
  const onError = useErrorHandler();
  const fullScreen = useFullScreen();
  const form = useForm<PipelineValues & StageValues>({
    initialValues: { name: '', rottingDays: 14, stages: defaultStages(t) },
    validate: (v) => ({ ...pipelineErrors(t, v), ...stageErrors(t, v.stages) }),
  });
  const submit = form.onSubmit((v) =>
    create.mutate(
      { name: v.name.trim(), rottingDays: rottingOf(v.rottingDays), stages: stagesBody(v.stages) },
      {
        onSuccess: (p) => {
          notifySuccess(t('settings.pipelines.created', { name: p.name }));
          onClose();
        },
        onError: (err) =>
          onError(err, {
            form,
            fields: ['name', 'rottingDays', ...stagePaths(form.values.stages)],
          }),
      },
    ),
  );
  return (
    <FormModal
      opened
      onClose={onClose}
      title={t('settings.pipelines.create')}
      size="lg"
      fullScreen={fullScreen}
      onSubmit={submit}
      loading={create.isPending}
      submitLabel={t('settings.pipelines.createSubmit')}
    >
      <TextInput
        label={t('settings.pipelines.name')}
        placeholder={t('settings.pipelines.namePlaceholder')}
        required
        maxLength={100}
        data-autofocus
        {...form.getInputProps('name')}
      />
      <RottingInput {...form.getInputProps('rottingDays')} />
      <StageList form={form} />
    </FormModal>
  );
}

function EditModal({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdatePipeline();
  const onError = useErrorHandler();
  const form = useForm<PipelineValues>({
    initialValues: { name: pipeline.name, rottingDays: pipeline.rottingDays ?? '' },
    validate: (v) => pipelineErrors(t, v),
  });
  const submit = form.onSubmit((v) =>
    update.mutate(
      { id: pipeline.id, body: { name: v.name.trim(), rottingDays: rottingOf(v.rottingDays) } },
      {
        onSuccess: (p) => {
          notifySuccess(t('settings.pipelines.saved', { name: p.name }));
          onClose();
        },
        onError: (err) => onError(err, { form }),
      },
    ),
  );
  return (
    <FormModal
      opened
      onClose={onClose}
      title={t('settings.pipelines.editNamed', { name: pipeline.name })}
      onSubmit={submit}
      loading={update.isPending}
    >
      <TextInput
        label={t('settings.pipelines.name')}
        required
        maxLength={100}
        data-autofocus
        {...form.getInputProps('name')}
      />
      <RottingInput {...form.getInputProps('rottingDays')} />
    </FormModal>
  );
}

/**
 * A pipeline's stages, saved in one go: renamed, reordered, with new probabilities (its open
 * deals take them), added, removed. A removed stage that holds deals asks, below the list,
 * which kept stage its deals move to.
 */
function StagesModal({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveStages();
  const onError = useErrorHandler();
  const fullScreen = useFullScreen();
  const form = useForm<StageValues & { moves: Record<string, string | null> }>({
    initialValues: {
      stages: pipeline.stages.map((s) => ({
        key: s.id,
        id: s.id,
        name: s.name,
        probability: s.probability,
      })),
      moves: Object.fromEntries(pipeline.stages.map((s) => [s.id, null])),
    },
    validate: (v) => {
      const errors = stageErrors(t, v.stages);
      const kept = new Set(v.stages.flatMap((s) => (s.id ? [s.id] : [])));
      for (const s of pipeline.stages) {
        if (kept.has(s.id)) continue;
        const target = v.moves[s.id];
        if (target && !kept.has(target)) {
          errors[`moves.${s.id}`] = t('settings.pipelines.moveTargetGone');
        } else if (!target && s.dealCount > 0) {
          errors[`moves.${s.id}`] = t('settings.pipelines.moveRequired', { count: s.dealCount });
        }
      }
      return errors;
    },
  });
  const kept = form.values.stages.filter((s) => s.id !== null);
  const keptIds = new Set(kept.map((s) => s.id));
  const removed = pipeline.stages.filter((s) => !keptIds.has(s.id));
  const targets = kept.map((s) => ({
    value: s.id!,
    label: s.name.trim() || t('settings.pipelines.unnamedStage'),
  }));

  const submit = form.onSubmit((v) => {
    const moves = Object.fromEntries(
      removed.flatMap((s) => {
        const target = v.moves[s.id];
        return target ? [[s.id, target]] : [];
      }),
    );
    save.mutate(
      { id: pipeline.id, body: { stages: stagesBody(v.stages), moves } },
      {
        onSuccess: (p) => {
          notifySuccess(t('settings.pipelines.stagesSaved', { name: p.name }));
          onClose();
        },
        onError: (err) =>
          onError(err, {
            form,
            fields: [...stagePaths(v.stages), ...pipeline.stages.map((s) => `moves.${s.id}`)],
            fieldMap: idErrorsOnNames(v.stages),
          }),
      },
    );
  });

  const restore = (id: string) => {
    const i = pipeline.stages.findIndex((s) => s.id === id);
    const s = pipeline.stages[i]!;
    form.insertListItem(
      'stages',
      { key: s.id, id: s.id, name: s.name, probability: s.probability },
      Math.min(i, form.values.stages.length),
    );
    form.setFieldValue(`moves.${id}`, null);
    form.clearFieldError(`moves.${id}`);
  };

  return (
    <FormModal
      opened
      onClose={onClose}
      title={t('settings.pipelines.stagesOf', { name: pipeline.name })}
      size="lg"
      fullScreen={fullScreen}
      onSubmit={submit}
      loading={save.isPending}
    >
      <Text size="sm" c="dimmed">
        {t('settings.pipelines.stagesHint')}
      </Text>
      <StageList
        form={form}
        dealCounts={new Map(pipeline.stages.map((s) => [s.id, s.dealCount]))}
      />
      {removed.length > 0 && (
        <Card withBorder padding="sm" bg="var(--mantine-color-default-hover)">
          <Stack gap="sm">
            <Text size="sm" fw={600}>
              {t('settings.pipelines.removedTitle')}
            </Text>
            {removed.map((s) => {
              const error = form.errors[`moves.${s.id}`];
              const asks = s.dealCount > 0 || error !== undefined;
              return (
                <Stack key={s.id} gap={4}>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <Text size="sm" style={{ minWidth: 0 }} truncate>
                      {s.dealCount > 0
                        ? t('settings.pipelines.removedWithDeals', {
                            name: s.name,
                            count: s.dealCount,
                          })
                        : t('settings.pipelines.removedEmpty', { name: s.name })}
                    </Text>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      leftSection={<IconArrowBackUp size={12} />}
                      onClick={() => restore(s.id)}
                      aria-label={t('settings.pipelines.restoreNamed', { name: s.name })}
                    >
                      {t('settings.pipelines.restore')}
                    </Button>
                  </Group>
                  {asks && (
                    <Select
                      label={t('settings.pipelines.moveTo', { name: s.name })}
                      placeholder={t('settings.pipelines.moveToPlaceholder')}
                      data={targets}
                      required
                      comboboxProps={{ withinPortal: false }}
                      {...form.getInputProps(`moves.${s.id}`)}
                    />
                  )}
                </Stack>
              );
            })}
          </Stack>
        </Card>
      )}
    </FormModal>
  );
}

/** The editable, ordered list of stages: name, probability, up/down, remove; add one. */
function StageList<V extends StageValues>({
  form,
  dealCounts,
}: {
  form: UseFormReturnType<V>;
  dealCounts?: Map<string, number>;
}) {
  const { t } = useTranslation();
  // The generic form's list paths, typed as the stage list's own.
  const f = form as unknown as UseFormReturnType<StageValues>;
  const stages = f.values.stages;
  const listError = f.errors.stages;
  return (
    <Stack gap="xs" role="group" aria-label={t('settings.pipelines.stages')}>
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} style={{ flex: 1 }}>
          {t('settings.pipelines.stageName')}
        </Text>
        <Text size="sm" fw={500} w={96}>
          {t('settings.pipelines.probability')}
        </Text>
        <div style={{ width: 84 }} />
      </Group>
      {stages.map((s, i) => {
        const n = s.id ? (dealCounts?.get(s.id) ?? 0) : 0;
        return (
          <Stack key={s.key} gap={2}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                style={{ flex: 1, minWidth: 0 }}
                aria-label={t('settings.pipelines.stageNameN', { n: i + 1 })}
                maxLength={100}
                {...f.getInputProps(`stages.${i}.name`)}
              />
              <NumberInput
                w={96}
                aria-label={t('settings.pipelines.probabilityN', { n: i + 1 })}
                min={0}
                max={100}
                allowDecimal={false}
                allowNegative={false}
                suffix=" %"
                {...f.getInputProps(`stages.${i}.probability`)}
              />
              <Group gap={0} wrap="nowrap" w={84} pt={6}>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  disabled={i === 0}
                  aria-label={t('settings.pipelines.stageUp', { n: i + 1 })}
                  onClick={() => f.reorderListItem('stages', { from: i, to: i - 1 })}
                >
                  <IconArrowUp size={14} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  disabled={i === stages.length - 1}
                  aria-label={t('settings.pipelines.stageDown', { n: i + 1 })}
                  onClick={() => f.reorderListItem('stages', { from: i, to: i + 1 })}
                >
                  <IconArrowDown size={14} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  disabled={stages.length === 1}
                  aria-label={t('settings.pipelines.stageRemove', { n: i + 1 })}
                  onClick={() => f.removeListItem('stages', i)}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              </Group>
            </Group>
            {n > 0 && (
              <Text size="xs" c="dimmed">
                {t('settings.pipelines.stageDeals', { count: n })}
              </Text>
            )}
          </Stack>
        );
      })}
      {listError && (
        <Text size="sm" c="red">
          {listError}
        </Text>
      )}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} />}
          disabled={stages.length >= 30}
          onClick={() =>
            f.insertListItem('stages', { key: newKey(), id: null, name: '', probability: 50 })
          }
        >
          {t('settings.pipelines.addStage')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Delete a pipeline: its deals (the trashed ones too: restoring one needs a stage) move to the
 * first stage of the pipeline chosen here. The last pipeline cannot go: the board needs one.
 */
function DeleteModal({
  pipeline,
  others,
  onClose,
}: {
  pipeline: Pipeline;
  others: Pipeline[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeletePipeline();
  const onError = useErrorHandler();
  const [moveTo, setMoveTo] = useState<string | null>(others[0]?.id ?? null);
  const [error, setError] = useState<string | null>(null);
  const title = t('settings.pipelines.deleteTitle', { name: pipeline.name });
  if (others.length === 0) {
    return (
      <Modal opened onClose={onClose} title={title} centered>
        <Stack>
          <Alert color="yellow">{t('settings.pipelines.lastPipeline')}</Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  }
  const target = others.find((p) => p.id === moveTo);
  const confirm = () => {
    if (!moveTo) {
      setError(t('validation.required'));
      return;
    }
    remove.mutate(
      { id: pipeline.id, moveTo },
      {
        onSuccess: () => {
          notifySuccess(t('settings.pipelines.deleted', { name: pipeline.name }));
          onClose();
        },
        onError: (err) =>
          onError(err, {
            form: {
              getValues: () => ({ moveTo }),
              setFieldError: (_path, message) => setError(message),
            },
            // The last pipeline's refusal is about the pipeline itself: shown in the dialog.
            fieldMap: { id: 'moveTo' },
          }),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">
          {pipeline.dealCount > 0
            ? t('settings.pipelines.deleteWithDeals', { count: pipeline.dealCount })
            : t('settings.pipelines.deleteText')}
        </Text>
        <Select
          label={t('settings.pipelines.deleteMoveTo')}
          description={
            target?.stages[0]
              ? t('settings.pipelines.deleteMoveToHint', { stage: target.stages[0].name })
              : undefined
          }
          data={others.map((p) => ({ value: p.id, label: p.name }))}
          value={moveTo}
          onChange={(v) => {
            setMoveTo(v);
            setError(null);
          }}
          error={error}
          allowDeselect={false}
          required
          comboboxProps={{ withinPortal: false }}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={remove.isPending} onClick={confirm}>
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
