import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '../../api/records';
import { useUsers } from '../../api/settings';
import { useCan } from '../../api/session';
import { fieldInput, type FormInput, type FormInputProps } from './formInputs';
import { foldedFilter } from './inputs';

/** The owner picker's "assign by the rules" choice: the create body then names no owner. */
export const AUTO_ASSIGN = '__auto__';

function AssignableOwner({ form, record, field }: FormInputProps) {
  const { t, i18n } = useTranslation();
  const users = useUsers(useCan('members', 'read'));
  const value = (form.getValues().ownerId as string | null | undefined) ?? null;
  const members = (users.data ?? [])
    .filter((u) => u.status === 'active' || u.id === value)
    .map((u) => ({ value: u.id, label: u.name }));
  const data = record
    ? members
    : [{ value: AUTO_ASSIGN, label: t('records.autoAssign') }, ...members];
  return (
    <Select
      label={field ? fieldLabel(field, i18n.language) : t('records.fields.owner')}
      description={value === AUTO_ASSIGN ? t('records.autoAssignHint') : undefined}
      searchable
      clearable={value !== AUTO_ASSIGN}
      filter={foldedFilter}
      data={data}
      value={value}
      onChange={(v) => form.setFieldValue('ownerId', v)}
      error={form.errors.ownerId}
      placeholder={t('records.fields.noOwner')}
    />
  );
}

/**
 * The owner of an object with assignment rules (leads, `form.inputs.ownerId: 'assignableOwner'`):
 * a new record starts on "Tự động phân công", which sends no owner, so the server assigns it by
 * the workspace's rules (Settings → Phân công tự động); picking a person keeps that person.
 */
export const assignableOwnerInput: FormInput = {
  Component: AssignableOwner,
  initial: (ctx) => (ctx.record ? fieldInput.initial(ctx) : { ownerId: AUTO_ASSIGN }),
  toInput: (values, ctx) => (values.ownerId === AUTO_ASSIGN ? {} : fieldInput.toInput(values, ctx)),
  paths: () => ['ownerId'],
};
