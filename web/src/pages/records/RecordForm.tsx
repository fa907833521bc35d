/**
 * The create/edit form of every record object, built from its fields metadata
 * (`/objects/:object/fields`) and its declaration (`presentation.form`): the short form, the
 * rest behind "more fields" (the workspace's custom fields last), each entry edited by the input
 * the declaration names (objectUi.tsx `formInputs`) or by the input of its field's type. There
 * is no per-object code here: a contact's name box and employer, labelled phones and an address
 * are inputs that objects name. The API's per-field errors land under their inputs
 * (`phones.0.value`, `taxCode`, `custom.hang`…); values that should be unique are checked as a
 * person leaves them and warned about (POST /:object/duplicates), never blocked.
 */
import { Button, Collapse, Grid, Group, Modal, Stack, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import {
  fieldLabel,
  recordName,
  useCreateRecord,
  useFields,
  useUpdateRecord,
  type AnyRecord,
  type FieldMeta,
  type ObjectMeta,
  type RecordInput,
} from '../../api/records';
import { useSession } from '../../api/session';
import { InlineLoader } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import {
  DuplicateWarning,
  fieldInput,
  type DuplicateMatch,
  type EntryContext,
  type FormInput,
  type FormValues,
} from './formInputs';
import { formInputs, useObjectText } from './objectUi';

export interface RecordFormModalProps {
  meta: ObjectMeta;
  opened: boolean;
  onClose: () => void;
  /** Edit this record; create a new one when absent. */
  record?: AnyRecord;
  onSaved?: (record: AnyRecord) => void;
}

export function RecordFormModal({ meta, opened, onClose, record, onSaved }: RecordFormModalProps) {
  const text = useObjectText(meta);
  return (
    <Modal opened={opened} onClose={onClose} title={record ? text.edit : text.newLabel} size="xl">
      {opened && <RecordForm meta={meta} record={record} onDone={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

interface FormProps {
  meta: ObjectMeta;
  record?: AnyRecord;
  onDone: () => void;
  onSaved?: (record: AnyRecord) => void;
}

function RecordForm(props: FormProps) {
  const fields = useFields(props.meta.key);
  if (fields.isPending) return <InlineLoader />;
  return <FormBody {...props} fields={fields.data ?? []} />;
}

interface Entry {
  ctx: EntryContext;
  input: FormInput;
  custom: boolean;
}

/**
 * The form's entries: the declared short form and "more fields", then the custom fields (a
 * required one in the short form). Without a declaration, every field a person writes, the
 * required ones first.
 */
function layoutOf(meta: ObjectMeta, fields: FieldMeta[]): { quick: string[]; more: string[] } {
  const custom = fields.filter((f) => f.key.startsWith('custom.') && !f.readOnly);
  const requiredCustom = custom.filter((f) => f.required).map((f) => f.key);
  const otherCustom = custom.filter((f) => !f.required).map((f) => f.key);
  const form = meta.presentation.form;
  if (form)
    return { quick: [...form.quick, ...requiredCustom], more: [...form.more, ...otherCustom] };
  const own = fields.filter(
    (f) => !f.key.startsWith('custom.') && !f.readOnly && f.type !== 'json',
  );
  return {
    quick: [...own.filter((f) => f.required).map((f) => f.key), ...requiredCustom],
    more: [...own.filter((f) => !f.required).map((f) => f.key), ...otherCustom],
  };
}

/** Merges body or value parts; `custom` values are merged, not replaced. */
function merge(into: FormValues, part: FormValues): FormValues {
  for (const [k, v] of Object.entries(part)) {
    if (k === 'custom' && v && typeof v === 'object') {
      into.custom = { ...((into.custom as FormValues | undefined) ?? {}), ...(v as FormValues) };
    } else into[k] = v;
  }
  return into;
}

const isBlank = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  v === '' ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isBlank));

/** Every leaf path of the form values ("phones.0.value", "custom.hang"…), for error routing. */
function paths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    const out = prefix ? [prefix] : [];
    for (const [k, v] of Object.entries(value))
      out.push(...paths(v, prefix ? `${prefix}.${k}` : k));
    return out;
  }
  return [prefix];
}

const owns = (input: FormInput, ctx: EntryContext, path: string) =>
  input.paths(ctx).some((p) => path === p || path.startsWith(`${p}.`));

function FormBody({ meta, fields, record, onDone, onSaved }: FormProps & { fields: FieldMeta[] }) {
  const { t, i18n } = useTranslation();
  const text = useObjectText(meta);
  const session = useSession();
  const qc = useQueryClient();
  const onError = useErrorHandler();
  const create = useCreateRecord(meta.key);
  const update = useUpdateRecord(meta.key);

  const { quick, more } = useMemo(() => {
    const layout = layoutOf(meta, fields);
    const entry = (key: string): Entry | null => {
      const field = fields.find((f) => f.key === key);
      const named = meta.presentation.form?.inputs[key];
      const input = named ? formInputs[named] : field && !field.readOnly ? fieldInput : undefined;
      if (!input) return null;
      const ctx = { entry: key, field, meta, record, me: session.user.id };
      return { ctx, input, custom: key.startsWith('custom.') };
    };
    const of = (keys: string[]) => keys.map(entry).filter((e): e is Entry => e !== null);
    return { quick: of(layout.quick), more: of(layout.more) };
  }, [meta, fields, record, session.user.id]);
  const all = useMemo(() => [...quick, ...more], [quick, more]);

  // The form starts once, from the record it was opened with.
  const [initial] = useState(() =>
    all.reduce<FormValues>((v, e) => merge(v, e.input.initial(e.ctx)), { custom: {} }),
  );
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: initial,
    validate: (values) =>
      all.reduce<Record<string, string>>(
        (errors, e) => ({ ...errors, ...(e.input.validate?.(values, t, e.ctx) ?? {}) }),
        {},
      ),
  });

  // "More fields" starts open on a record that has something there (other than a default).
  const [moreOpen, setMoreOpen] = useState(
    () =>
      Boolean(record) &&
      more.some((e) => {
        const part = e.input.toInput(initial, e.ctx);
        const preset = meta.presentation.form?.defaults?.[e.ctx.entry];
        return Object.values(part).some((v) => !isBlank(v) && v !== preset);
      }),
  );
  const moreHasError = Object.keys(form.errors).some((path) =>
    more.some((e) => owns(e.input, e.ctx, path)),
  );
  const moreShown = moreOpen || moreHasError;

  // --- duplicate warnings ---
  const [warnings, setWarnings] = useState<Record<string, DuplicateMatch | null>>({});
  const checked = useRef<Record<string, string>>({});
  const checkDuplicate = useCallback(
    (path: string, key: string, value: string) => {
      const v = value.trim();
      if (checked.current[path] === v) return;
      checked.current[path] = v;
      if (!v) {
        setWarnings((w) => ({ ...w, [path]: null }));
        return;
      }
      api
        .post<{ items: DuplicateMatch[] }>(`/${meta.key}/duplicates`, {
          values: { [key]: [v] },
          ...(record ? { excludeId: record.id } : {}),
        })
        .then((res) => {
          // Only the answer for what the input still holds.
          if (checked.current[path] === v)
            setWarnings((w) => ({ ...w, [path]: res.items[0] ?? null }));
        })
        // A warning is a courtesy: when the check fails, the save still tells the truth.
        .catch(() => undefined);
    },
    [meta.key, record],
  );
  const warning = (path: string) => {
    const match = warnings[path];
    if (!match) return null;
    const field = fields.find((f) => f.key === match.key);
    const what = t(`records.duplicates.what.${match.key}`, {
      defaultValue: field ? fieldLabel(field, i18n.language) : match.key,
    });
    return <DuplicateWarning match={match} what={what} object={meta.key} />;
  };

  const submit = form.onSubmit(async (values) => {
    const input: RecordInput = {};
    for (const e of all) {
      const part = e.input.toInput(values, e.ctx);
      // Editing: only what changed. Creating: only what was filled in (the server defaults).
      if (record) {
        if (JSON.stringify(part) === JSON.stringify(e.input.toInput(initial, e.ctx))) continue;
        merge(input, part);
      } else {
        for (const [k, v] of Object.entries(part)) {
          if (k === 'custom') {
            const filled = Object.entries(v as FormValues).filter(([, x]) => x !== null);
            if (filled.length > 0) merge(input, { custom: Object.fromEntries(filled) });
          } else if (v !== null) input[k] = v;
        }
      }
    }
    try {
      const saved = record
        ? await update.mutateAsync({ id: record.id, input, version: record.version })
        : await create.mutateAsync(input);
      if (!record) {
        for (const e of all) await e.input.afterCreate?.(saved, values, { ...e.ctx, qc });
      }
      notifySuccess(
        record
          ? t('records.form.saved')
          : text.created(recordName(saved, meta.presentation.titleField)),
      );
      onSaved?.(saved);
      onDone();
    } catch (err) {
      const known = [...paths(form.getValues()), ...all.flatMap((e) => e.input.paths(e.ctx))];
      onError(err, { form, fields: known });
    }
  });

  const render = (e: Entry) => {
    const { Component } = e.input;
    return (
      <Grid.Col key={e.ctx.entry} span={{ base: 12, sm: e.input.wide ? 12 : 6 }}>
        <Component {...e.ctx} form={form} checkDuplicate={checkDuplicate} warning={warning} />
      </Grid.Col>
    );
  };
  const moreOwn = more.filter((e) => !e.custom);
  const moreCustom = more.filter((e) => e.custom);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Grid gap="sm">{quick.map(render)}</Grid>
        {more.length > 0 && (
          <>
            <Group>
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() => setMoreOpen(!moreShown)}
                aria-expanded={moreShown}
                disabled={moreHasError}
              >
                {moreShown ? t('records.form.fewerFields') : t('records.form.moreFields')}
              </Button>
            </Group>
            <Collapse expanded={moreShown}>
              <Stack gap="sm">
                <Grid gap="sm">{moreOwn.map(render)}</Grid>
                {moreCustom.length > 0 && (
                  <>
                    <Title order={3} size="h5">
                      {t('records.form.customFields')}
                    </Title>
                    <Grid gap="sm">{moreCustom.map(render)}</Grid>
                  </>
                )}
              </Stack>
            </Collapse>
          </>
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {record ? t('common.save') : text.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
