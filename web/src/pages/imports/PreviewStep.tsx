/**
 * The wizard's preview step: what to do with a row that matches an existing record (skip, update
 * or create anyway) and which keys match (email, phone, tax code…), then the first rows as the run
 * would write them (the server runs them through the real create or update and rolls back): the
 * outcome, the record's values as they would be stored, and every error in the UI language.
 */
import { Alert, Badge, Checkbox, Group, Radio, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  useImportPreview,
  type DuplicatePolicy,
  type ImportJob,
  type ImportMapping,
} from '../../api/imports';
import { fieldLabel, type AnyRecord, type FieldMeta, type ObjectMeta } from '../../api/records';
import { useCan } from '../../api/session';
import { InlineLoader } from '../../components/PageStates';
import { useFormat } from '../../lib/format';
import { displayText } from '../records/fields';
import { OUTCOME_COLORS } from './importText';

const POLICIES: DuplicatePolicy[] = ['skip', 'update', 'create'];
const MAX_FIELDS = 5;

/**
 * The fields the preview may show: the title field, the declaration's subtitle fields, then the
 * fields the mapped columns write; one per label. `distinctColumns` then keeps MAX_FIELDS of them
 * that say something new.
 */
export function previewFields(
  meta: ObjectMeta,
  fields: FieldMeta[],
  mapping: ImportMapping,
): FieldMeta[] {
  const byKey = new Map(fields.filter((f) => !f.shownIn).map((f) => [f.key, f]));
  const keys = [
    meta.presentation.titleField,
    ...meta.presentation.subtitleFields,
    ...mapping.filter((k): k is string => k !== null),
  ];
  const shown: FieldMeta[] = [];
  const labels = new Set<string>();
  for (const key of keys) {
    const field = byKey.get(key);
    if (!field || labels.has(field.label.vi) || shown.includes(field)) continue;
    shown.push(field);
    labels.add(field.label.vi);
  }
  return shown;
}

/**
 * Drops a field whose text repeats an earlier field's on every previewed record (a contact's
 * phone list beside its primary phone), then keeps the first MAX_FIELDS.
 */
function distinctColumns(
  fields: FieldMeta[],
  records: AnyRecord[],
  text: (f: FieldMeta, r: AnyRecord) => string,
): FieldMeta[] {
  const kept: FieldMeta[] = [];
  for (const field of fields) {
    const repeats =
      records.length > 0 && kept.some((k) => records.every((r) => text(k, r) === text(field, r)));
    if (!repeats) kept.push(field);
    if (kept.length >= MAX_FIELDS) break;
  }
  return kept;
}

/** A refused plan: the server's message and its field messages (which column, what is wrong). */
function PlanError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const lines =
    error instanceof ApiError
      ? [error.message, ...error.fieldErrors.map((f) => f.message)]
      : [t('errors.unexpected')];
  return (
    <Alert
      color="red"
      icon={<IconAlertTriangle />}
      title={t('imports.preview.failed')}
      role="alert"
    >
      {[...new Set(lines)].map((l) => (
        <Text key={l} size="sm">
          {l}
        </Text>
      ))}
    </Alert>
  );
}

export function PreviewStep({
  meta,
  fields,
  imp,
  mapping,
  duplicates,
  onDuplicates,
  matchKeys,
  onMatchKeys,
  active,
}: {
  meta: ObjectMeta;
  fields: FieldMeta[];
  imp: ImportJob;
  mapping: ImportMapping;
  duplicates: DuplicatePolicy;
  onDuplicates: (policy: DuplicatePolicy) => void;
  matchKeys: string[];
  onMatchKeys: (keys: string[]) => void;
  active: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const fmt = useFormat();
  const canUpdate = useCan(meta.key, 'update');
  const preview = useImportPreview(imp.id, { mapping, options: { duplicates, matchKeys } }, active);
  const records = (preview.data?.rows ?? [])
    .map((row) => row.record as AnyRecord | null)
    .filter((r): r is AnyRecord => r !== null);
  const shown = distinctColumns(previewFields(meta, fields, mapping), records, (f, r) =>
    displayText(t, fmt, f, r),
  );

  return (
    <Stack gap="md">
      <Group align="flex-start" gap="xl" wrap="wrap">
        <Radio.Group
          label={t('imports.preview.duplicates')}
          value={duplicates}
          onChange={(v) => onDuplicates(v as DuplicatePolicy)}
        >
          <Stack gap={6} mt={6}>
            {POLICIES.map((p) => (
              <Radio
                key={p}
                value={p}
                label={t(`imports.preview.policy.${p}`)}
                disabled={p === 'update' && !canUpdate}
                description={
                  p === 'update' && !canUpdate ? t('imports.preview.updateForbidden') : undefined
                }
              />
            ))}
          </Stack>
        </Radio.Group>
        {imp.matchKeys.length > 0 && (
          <Checkbox.Group
            label={t('imports.preview.matchKeys')}
            description={matchKeys.length === 0 ? t('imports.preview.noMatchKeys') : undefined}
            value={matchKeys}
            onChange={onMatchKeys}
          >
            <Stack gap={6} mt={6}>
              {imp.matchKeys.map((k) => (
                <Checkbox key={k.key} value={k.key} label={k.label[lang]} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
      </Group>

      <Text size="sm" c="dimmed">
        {t('imports.preview.intro', { count: imp.totalRows, n: fmt.number(imp.totalRows) })}
      </Text>
      {preview.isPending ? (
        <InlineLoader />
      ) : preview.isError ? (
        <PlanError error={preview.error} />
      ) : preview.data.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('imports.preview.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table
            verticalSpacing="xs"
            withTableBorder
            striped
            aria-label={t('imports.steps.preview')}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.preview.line')}</Table.Th>
                <Table.Th>{t('imports.preview.outcome')}</Table.Th>
                {shown.map((f) => (
                  <Table.Th key={f.key}>{fieldLabel(f, lang)}</Table.Th>
                ))}
                <Table.Th>{t('imports.preview.notes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.data.rows.map((row) => {
                const record = row.record as AnyRecord | null;
                return (
                  <Table.Tr key={row.rowNo} data-outcome={row.outcome}>
                    <Table.Td>{fmt.number(row.line)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={OUTCOME_COLORS[row.outcome]}>
                        {t(`imports.outcomes.${row.outcome}`)}
                      </Badge>
                    </Table.Td>
                    {record ? (
                      shown.map((f) => (
                        <Table.Td key={f.key}>{displayText(t, fmt, f, record)}</Table.Td>
                      ))
                    ) : (
                      // Nothing would be written: the row's own cells, as they are in the file.
                      <Table.Td colSpan={shown.length}>
                        <Text size="sm" c="dimmed">
                          {mapping
                            .map((k, i) => (k === null ? '' : (row.cells[i] ?? '').trim()))
                            .filter(Boolean)
                            .join(' · ')}
                        </Text>
                      </Table.Td>
                    )}
                    <Table.Td>
                      {row.errors.map((e, n) => (
                        <Text key={n} size="sm" c={row.outcome === 'failed' ? 'red' : 'dimmed'}>
                          {e.column ? `${e.column}: ` : ''}
                          {e.message[lang]}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
