/**
 * Settings → Duyệt chiết khấu: per role, the largest line discount (percent) its members may put
 * on a quote without a manager's approval (empty: no limit). Roles with `approve` on quotes are
 * the approvers: they need no limit and have no input.
 */
import { Badge, Button, Group, NumberInput, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useDiscountLimits, useSaveDiscountLimits, type DiscountLimit } from '../../api/quotes';
import { useCan } from '../../api/session';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { SettingsPage, SettingsSection } from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

export function DiscountLimitsPage() {
  const { t } = useTranslation();
  const limits = useDiscountLimits();
  return (
    <SettingsPage
      maw={720}
      title={t('settings.discountLimits.title')}
      description={t('settings.discountLimits.description')}
    >
      {limits.isPending ? (
        <InlineLoader />
      ) : limits.isError ? (
        <QueryError error={limits.error} onRetry={() => void limits.refetch()} />
      ) : (
        <LimitsForm key={limits.dataUpdatedAt} items={limits.data.items} />
      )}
    </SettingsPage>
  );
}

function LimitsForm({ items }: { items: DiscountLimit[] }) {
  const { t, i18n } = useTranslation();
  const vi = i18n.language !== 'en';
  const canEdit = useCan('roles', 'update');
  const save = useSaveDiscountLimits();
  const onError = useErrorHandler();
  const [values, setValues] = useState<Record<string, number | ''>>(() =>
    Object.fromEntries(items.map((i) => [i.roleId, i.maxPercent ?? ''])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const editable = items.filter((i) => !i.approves);
  const dirty = editable.some((i) => (values[i.roleId] ?? '') !== (i.maxPercent ?? ''));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate(
      {
        items: editable.map((i) => {
          const v = values[i.roleId];
          return { roleId: i.roleId, maxPercent: typeof v === 'number' ? v : null };
        }),
      },
      {
        onSuccess: () => notifySuccess(t('settings.discountLimits.saved')),
        onError: (err) => {
          const next: Record<string, string> = {};
          for (const f of isApiError(err) ? err.fieldErrors : []) {
            const m = /^items\.(\d+)\./.exec(f.path);
            const role = m ? editable[Number(m[1])] : undefined;
            if (role) next[role.roleId] = f.message;
          }
          setErrors(next);
          if (Object.keys(next).length === 0) onError(err);
        },
      },
    );
  };

  return (
    <SettingsSection title={t('settings.discountLimits.roles')} onSubmit={submit}>
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.discountLimits.role')}</Table.Th>
              <Table.Th w={200}>{t('settings.discountLimits.maxPercent')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.roleId}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {item.roleName}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {item.approves ? (
                    <Badge color="teal" variant="light">
                      {t('settings.discountLimits.approves')}
                    </Badge>
                  ) : (
                    <NumberInput
                      aria-label={t('settings.discountLimits.limitOf', { role: item.roleName })}
                      value={values[item.roleId] ?? ''}
                      onChange={(v) =>
                        setValues((all) => ({
                          ...all,
                          [item.roleId]: typeof v === 'number' ? v : '',
                        }))
                      }
                      placeholder={t('settings.discountLimits.noLimit')}
                      error={errors[item.roleId]}
                      min={0}
                      max={100}
                      clampBehavior="strict"
                      decimalScale={2}
                      decimalSeparator={vi ? ',' : '.'}
                      allowNegative={false}
                      hideControls
                      rightSection={<Text size="sm">%</Text>}
                      disabled={!canEdit}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed">
        {t('settings.discountLimits.hint')}
      </Text>
      {canEdit && (
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            {t('common.save')}
          </Button>
        </Group>
      )}
    </SettingsSection>
  );
}
