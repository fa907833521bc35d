/**
 * A person's name in one "Họ và tên" box, the way Vietnamese people write it ("Nguyễn Thị Hồng
 * Nhung"), split as it is typed into family / middle / given name with the server's own rules
 * (src/lib/vn/names.ts: the same module, not a copy). The parts stay editable under the box;
 * editing one rewrites the box the way the server composes the display name.
 */
import { Anchor, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { composeDisplayName, splitFullName } from '../../../../src/lib/vn/names';
import type { FormInput, FormInputProps, FormValues } from './formInputs';

const PARTS = ['familyName', 'middleName', 'givenName'] as const;
type Part = (typeof PARTS)[number];

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function PersonName({ form }: FormInputProps) {
  const { t } = useTranslation();
  const values = form.getValues();
  const partError = PARTS.map((p) => form.errors[p]).find(Boolean);
  const [open, setOpen] = useState(false);
  const expanded = open || (Boolean(partError) && !form.errors.fullName);
  const parts = Object.fromEntries(PARTS.map((p) => [p, text(values[p])])) as Record<Part, string>;

  const typeFull = (full: string) => {
    form.setValues({ fullName: full, ...splitFullName(full) });
    form.clearFieldError('fullName');
    for (const p of PARTS) form.clearFieldError(p);
  };
  const typePart = (part: Part, value: string) => {
    const next = { ...parts, [part]: value };
    form.setValues({ [part]: value, fullName: composeDisplayName(next) });
    form.clearFieldError(part);
    form.clearFieldError('fullName');
  };

  const filled = PARTS.filter((p) => parts[p].trim());
  return (
    <Stack gap={4}>
      <TextInput
        label={t('records.form.fullName')}
        placeholder="Nguyễn Thị Hồng Nhung"
        withAsterisk
        data-autofocus
        autoComplete="off"
        value={text(values.fullName)}
        onChange={(e) => typeFull(e.currentTarget.value)}
        error={form.errors.fullName ?? (expanded ? undefined : partError)}
      />
      <Group gap="xs" wrap="wrap" aria-live="polite">
        {filled.length > 0 && (
          <Text size="xs" c="dimmed">
            {filled.map((p) => `${t(`records.fields.${p}`)}: ${parts[p].trim()}`).join(' · ')}
          </Text>
        )}
        <Anchor
          component="button"
          type="button"
          size="xs"
          onClick={() => setOpen(!expanded)}
          aria-expanded={expanded}
        >
          {expanded ? t('records.form.hideNameParts') : t('records.form.editNameParts')}
        </Anchor>
      </Group>
      {expanded && (
        <SimpleGrid cols={3} spacing="xs">
          {PARTS.map((p) => (
            <TextInput
              key={p}
              size="xs"
              label={t(`records.fields.${p}`)}
              value={parts[p]}
              onChange={(e) => typePart(p, e.currentTarget.value)}
              error={form.errors[p]}
            />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** The contact's name entry (`inputs: { fullName: 'personName' }`). */
export const personNameInput: FormInput = {
  Component: PersonName,
  wide: true,
  initial: ({ record }) => {
    const stored = Object.fromEntries(PARTS.map((p) => [p, text(record?.[p])]));
    const display = text(record?.displayName);
    // A record imported with only a display name: its parts as the server would split them.
    const parts = PARTS.some((p) => stored[p]) ? stored : splitFullName(display);
    return { fullName: display || composeDisplayName(parts), ...parts };
  },
  // The parts, which the server composes the display name from (it never sees the box itself).
  toInput: (values: FormValues) =>
    Object.fromEntries(PARTS.map((p) => [p, text(values[p]).trim() || null])),
  paths: () => ['fullName', 'displayName', ...PARTS],
  validate: (values, t): Record<string, string> =>
    PARTS.some((p) => text(values[p]).trim()) ? {} : { fullName: t('validation.required') },
};
