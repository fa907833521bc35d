/**
 * A role's field access (issue #19): per record object, which fields the role sees and changes
 * ("Xem và sửa"), only sees ("Chỉ xem") or does not see at all ("Ẩn"). Fields that name or own a
 * record cannot be hidden (the server says which: `hideable`).
 */
import { Group, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { fieldLabel, useFields, useObjects } from '../../api/records';
import type { Role } from '../../api/types';
import { FormModal } from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

type Level = 'write' | 'read_only' | 'hidden';
type Access = Record<string, Record<string, 'read_only' | 'hidden'>>;

export function FieldAccessModal({ role, onClose }: { role: Role | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const onError = useErrorHandler();
  const objects = useObjects().data ?? [];
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const [object, setObject] = useState<string | null>(null);
  const current = object ?? objects[0]?.key ?? null;
  const fields = useFields(current ?? '').data ?? [];
  const [access, setAccess] = useState<Access>(() => (role?.fieldAccess ?? {}) as Access);
  const save = useMutation({
    mutationFn: () =>
      request<Role>('PUT', `/roles/${encodeURIComponent(role!.id)}/field-access`, {
        body: { fieldAccess: access },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['roles'] }),
  });

  const levelOf = (key: string): Level => (current ? access[current]?.[key] : undefined) ?? 'write';
  const setLevel = (key: string, level: Level) => {
    if (!current) return;
    setAccess((a) => {
      const own = { ...(a[current] ?? {}) };
      if (level === 'write') delete own[key];
      else own[key] = level;
      return { ...a, [current]: own };
    });
  };
  // Computed fields (read-only for everyone) can only be hidden.
  const shown = fields.filter((f) => f.hideable || !f.readOnly);

  return (
    <FormModal
      opened={role !== null}
      onClose={onClose}
      size="lg"
      title={t('settings.roles.fieldAccess.title', { name: role?.name ?? '' })}
      loading={save.isPending}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined, {
          onSuccess: () => {
            notifySuccess(t('settings.roles.fieldAccess.saved', { name: role?.name ?? '' }));
            onClose();
          },
          onError: (err) => onError(err),
        });
      }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('settings.roles.fieldAccess.description')}
        </Text>
        <Select
          label={t('settings.roles.fieldAccess.object')}
          data={objects.map((o) => ({ value: o.key, label: o.label.many[lang] }))}
          value={current}
          onChange={setObject}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
        />
        <Table.ScrollContainer minWidth={420}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.roles.fieldAccess.field')}</Table.Th>
                <Table.Th w={200}>{t('settings.roles.fieldAccess.access')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((f) => (
                <Table.Tr key={f.key}>
                  <Table.Td>{fieldLabel(f, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Group gap={0}>
                      <Select
                        size="xs"
                        w={190}
                        aria-label={t('settings.roles.fieldAccess.accessOf', {
                          field: fieldLabel(f, i18n.language),
                        })}
                        value={levelOf(f.key)}
                        onChange={(v) => v && setLevel(f.key, v as Level)}
                        allowDeselect={false}
                        comboboxProps={{ withinPortal: false }}
                        data={[
                          ...(f.readOnly
                            ? []
                            : [
                                { value: 'write', label: t('settings.roles.fieldAccess.write') },
                                {
                                  value: 'read_only',
                                  label: t('settings.roles.fieldAccess.readOnly'),
                                },
                              ]),
                          ...(f.readOnly
                            ? [{ value: 'write', label: t('settings.roles.fieldAccess.visible') }]
                            : []),
                          ...(f.hideable
                            ? [{ value: 'hidden', label: t('settings.roles.fieldAccess.hidden') }]
                            : []),
                        ]}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </FormModal>
  );
}
