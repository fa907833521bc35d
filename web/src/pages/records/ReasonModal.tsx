/** A dialog asking why (cancel an order, void an invoice, reverse a payment): the reason is required. */
import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function ReasonModal({
  title,
  loading,
  onSubmit,
  onClose,
}: {
  title: string;
  loading: boolean;
  onSubmit: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) onSubmit(reason.trim());
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t('selling.reason.label')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            maxLength={2000}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button type="submit" color="red" loading={loading} disabled={!reason.trim()}>
              {t('selling.reason.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
