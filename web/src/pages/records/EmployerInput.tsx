/**
 * A new contact's company and job title (`inputs: { companies: 'employer' }`). The link is a
 * record of its own (contact_companies), made once the contact exists; an existing contact's
 * companies are kept in its record page's panel, so the input shows only when creating.
 */
import { SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { recordKeys } from '../../api/records';
import type { FormInput, FormInputProps, FormValues } from './formInputs';
import { RecordPicker } from './inputs';

interface Employer {
  companyId: string | null;
  jobTitle: string;
}

const employerOf = (values: FormValues) =>
  (values.employer ?? { companyId: null, jobTitle: '' }) as Employer;

function EmployerEntry({ form, record }: FormInputProps) {
  const { t } = useTranslation();
  if (record) return null;
  const employer = employerOf(form.getValues());
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <RecordPicker
        label={t('records.fields.company')}
        types="companies"
        value={employer.companyId}
        onChange={(id) => form.setFieldValue('employer.companyId', id)}
      />
      <TextInput
        label={t('records.fields.jobTitle')}
        disabled={!employer.companyId}
        {...form.getInputProps('employer.jobTitle')}
      />
    </SimpleGrid>
  );
}

export const employerInput: FormInput = {
  Component: EmployerEntry,
  wide: true,
  initial: () => ({ employer: { companyId: null, jobTitle: '' } }),
  toInput: () => ({}),
  paths: () => ['employer'],
  afterCreate: async (saved, values, { qc }) => {
    const { companyId, jobTitle } = employerOf(values);
    if (!companyId) return;
    await api.post(`/contacts/${encodeURIComponent(saved.id)}/companies`, {
      companyId,
      jobTitle: jobTitle.trim() || null,
      isPrimary: true,
    });
    void qc.invalidateQueries({ queryKey: recordKeys.all('companies') });
    void qc.invalidateQueries({ queryKey: recordKeys.all('contacts') });
  },
};
