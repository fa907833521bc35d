/**
 * The wizard's mapping step: one row per column of the file (its header, a few of its values) with
 * the field it goes into (suggested by the server from the header, in Vietnamese or English, or
 * from a saved template), "Không nhập" to leave it out; the required fields no column feeds; and
 * an optional name to save the mapping as a template for the next file with these headers.
 */
import { Alert, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportMapping } from '../../api/imports';
import { fieldLabel, localised, type FieldMeta, type ObjectMeta } from '../../api/records';

const SKIP = '-';

/** Column indexes whose target another column already imports into (and may not share). */
export function conflictingColumns(imp: ImportJob, mapping: ImportMapping): Set<number> {
  const multiple = new Set(imp.targets.filter((t) => t.multiple).map((t) => t.key));
  const seen = new Map<string, number>();
  const conflicts = new Set<number>();
  mapping.forEach((key, i) => {
    if (key === null || multiple.has(key)) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else conflicts.add(first).add(i);
  });
  return conflicts;
}

/**
 * The object's required fields that no mapped column feeds (leaving out those the server fills
 * with the form's default, such as a contact's lifecycle stage). A field counts as fed by a column
 * mapped to it, to a target of the same label (a contact's "Họ và tên" box and its name), or, for
 * the title field, to any part of a name (family, middle or given name).
 */
export function unmappedRequired(
  meta: ObjectMeta,
  fields: FieldMeta[],
  imp: ImportJob,
  mapping: ImportMapping,
): FieldMeta[] {
  const mapped = new Set(mapping.filter((k): k is string => k !== null));
  const defaults = meta.presentation.form?.defaults ?? {};
  const fold = (label: { vi: string }) => label.vi.toLocaleLowerCase('vi');
  const mappedLabels = new Set(
    imp.targets.filter((t) => mapped.has(t.key)).map((t) => fold(t.label)),
  );
  const namePart = [...mapped].some((k) => /Name$/.test(k));
  return fields.filter(
    (f) =>
      f.required &&
      !f.readOnly &&
      !(f.key in defaults) &&
      !mapped.has(f.key) &&
      !mappedLabels.has(fold(f.label)) &&
      !(f.key === meta.presentation.titleField && namePart),
  );
}

export function MappingStep({
  imp,
  mapping,
  onChange,
  missing,
  template,
  onTemplate,
}: {
  imp: ImportJob;
  mapping: ImportMapping;
  onChange: (mapping: ImportMapping) => void;
  missing: FieldMeta[];
  template: string;
  onTemplate: (name: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const conflicts = conflictingColumns(imp, mapping);
  const data = [
    { value: SKIP, label: t('imports.mapping.skip') },
    ...imp.targets.map((target) => ({ value: target.key, label: localised(target.label, lang) })),
  ];
  const mappedCount = mapping.filter((k) => k !== null).length;

  const set = (index: number, value: string | null) => {
    const next = imp.headers.map((_, i) => mapping[i] ?? null);
    next[index] = value === null || value === SKIP ? null : value;
    onChange(next);
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('imports.mapping.summary', { mapped: mappedCount, total: imp.headers.length })}
      </Text>
      {missing.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle />} data-required-missing>
          {t('imports.mapping.requiredMissing', {
            fields: missing.map((f) => fieldLabel(f, lang)).join(', '),
          })}
        </Alert>
      )}
      {mappedCount === 0 && (
        <Alert color="red" icon={<IconAlertTriangle />}>
          {t('imports.mapping.nothing')}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.mapping.column')}</Table.Th>
              <Table.Th>{t('imports.mapping.samples')}</Table.Th>
              <Table.Th w={300}>{t('imports.mapping.target')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imp.headers.map((header, i) => {
              const name = header || t('imports.mapping.untitled', { n: i + 1 });
              const samples = imp.sample
                .map((row) => row[i]?.trim() ?? '')
                .filter(Boolean)
                .slice(0, 3);
              return (
                <Table.Tr key={i} data-column={name}>
                  <Table.Td>
                    <Text fw={600} size="sm">
                      {name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {samples.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('imports.mapping.noSamples')}
                      </Text>
                    ) : (
                      samples.map((s, n) => (
                        <Text key={n} size="sm" c="dimmed" lineClamp={1}>
                          {s}
                        </Text>
                      ))
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('imports.mapping.targetOf', { column: name })}
                      data={data}
                      value={mapping[i] ?? SKIP}
                      onChange={(v) => set(i, v)}
                      allowDeselect={false}
                      searchable
                      comboboxProps={{ withinPortal: true }}
                      error={conflicts.has(i) ? t('imports.mapping.twice') : undefined}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <TextInput
        label={t('imports.mapping.template')}
        description={t('imports.mapping.templateHint')}
        placeholder={t('imports.mapping.templatePlaceholder')}
        value={template}
        maxLength={100}
        onChange={(e) => onTemplate(e.currentTarget.value)}
        maw={480}
      />
    </Stack>
  );
}
