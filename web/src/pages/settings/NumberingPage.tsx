import { Alert, Code, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  formatProblem,
  formatProblemText,
  periodKey,
  renderNumber,
} from '../../../../src/modules/numbering/numbering.format';
import { useCan } from '../../api/session';
import {
  useNumbering,
  useUpdateNumbering,
  type NumberingType,
  type NumberingView,
} from '../../api/sellingSettings';
import {
  EditDeleteActions,
  FormModal,
  SettingsPage,
  SettingsTable,
} from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

/**
 * Settings → Đánh số chứng từ: each numbered document type (quotes, orders, invoices,
 * payments…) with its format and the next number. Editing shows the next number live, rendered
 * by the server's own format module (src/modules/numbering/numbering.format.ts).
 */
export function NumberingPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const view = useNumbering();
  const canEdit = useCan('document_numbering', 'update');
  const [editing, setEditing] = useState<NumberingType | null>(null);
  return (
    <SettingsPage
      maw={900}
      title={t('settings.numbering.title')}
      description={t('settings.numbering.description')}
    >
      <SettingsTable
        query={{ data: view.data?.types, error: view.error, refetch: view.refetch }}
        rowKey={(type) => type.key}
        minWidth={560}
        empty={null}
        columns={[
          { header: t('settings.numbering.document'), cell: (type) => type.label[lang] },
          { header: t('settings.numbering.format'), cell: (type) => <Code>{type.format}</Code> },
          {
            header: t('settings.numbering.next'),
            cell: (type) => <Text fw={500}>{type.nextNumber}</Text>,
          },
        ]}
        actions={(type) => (
          <EditDeleteActions
            edit={
              canEdit && {
                label: t('settings.numbering.editOf', { name: type.label[lang] }),
                onClick: () => setEditing(type),
              }
            }
          />
        )}
      />
      <Text size="sm" c="dimmed">
        {t('settings.numbering.tokens')}
      </Text>
      {editing && view.data && (
        <EditNumbering
          key={editing.key}
          type={editing}
          today={view.data.today}
          onClose={() => setEditing(null)}
        />
      )}
    </SettingsPage>
  );
}

function EditNumbering({
  type,
  today,
  onClose,
}: {
  type: NumberingType;
  today: NumberingView['today'];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const update = useUpdateNumbering();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: { format: type.format, nextValue: type.nextValue as number | string },
    validate: {
      format: (v) => {
        const problem = formatProblem(v.trim());
        return problem ? formatProblemText[problem][lang] : null;
      },
    },
  });
  const format = form.values.format.trim();
  const problem = formatProblem(format);
  // The counter the edited format would use: this year's, or the continuous one.
  const yearly = periodKey(format, today.year) !== '';
  const current = yearly ? type.counters.yearly : type.counters.continuous;
  const typed = typeof form.values.nextValue === 'number' ? form.values.nextValue : current;
  const next = Math.max(typed, current);
  const preview = problem ? null : renderNumber(format, next, today.year, today.month);
  const periodChanged = !problem && periodKey(format, today.year) !== type.period;

  const submit = form.onSubmit((values) => {
    const body: { format?: string; nextValue?: number } = {};
    if (values.format.trim() !== type.format) body.format = values.format.trim();
    if (
      form.isDirty('nextValue') &&
      typeof values.nextValue === 'number' &&
      values.nextValue !== current
    ) {
      body.nextValue = values.nextValue;
    }
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { type: type.key, body },
      {
        onSuccess: (saved) => {
          notifySuccess(
            t('settings.numbering.saved', { name: type.label[lang], next: saved.nextNumber }),
          );
          onClose();
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });

  return (
    <FormModal
      opened
      onClose={onClose}
      title={t('settings.numbering.editOf', { name: type.label[lang] })}
      onSubmit={submit}
      loading={update.isPending}
    >
      <Stack gap="xs">
        <TextInput
          label={t('settings.numbering.format')}
          description={t('settings.numbering.formatHint', { example: type.defaultFormat })}
          required
          maxLength={40}
          autoComplete="off"
          spellCheck={false}
          {...form.getInputProps('format')}
        />
        <NumberInput
          label={t('settings.numbering.nextValue')}
          description={t('settings.numbering.nextValueHint', { min: current })}
          min={current}
          max={999_999_999_999}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator={false}
          {...form.getInputProps('nextValue')}
        />
      </Stack>
      <Alert
        variant="light"
        color={preview ? 'teal' : 'gray'}
        title={t('settings.numbering.preview')}
      >
        <Text fw={600} size="lg" data-testid="numbering-preview">
          {preview ?? '—'}
        </Text>
        {periodChanged && (
          <Text size="sm" mt={4}>
            {yearly
              ? t('settings.numbering.becomesYearly')
              : t('settings.numbering.becomesContinuous')}
          </Text>
        )}
        <Text size="sm" c="dimmed" mt={4}>
          {t('settings.numbering.noRenumber')}
        </Text>
      </Alert>
    </FormModal>
  );
}
