/** The payments object's header action (`paymentActions`): reverse a payment with a reason (approvers). */
import { Button } from '@mantine/core';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentAction, type Payment } from '../../api/selling';
import { useCan } from '../../api/session';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import type { PanelProps } from './panels';
import { ReasonModal } from './ReasonModal';

export function PaymentActions({ record }: PanelProps) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const canApprove = useCan('payments', 'approve');
  const run = useDocumentAction<Payment>('payments', record.id);
  const [reversing, setReversing] = useState(false);
  if (!canApprove || record.reversedAt || String(record.status ?? '') === 'reversed') return null;
  return (
    <>
      <Button
        variant="light"
        color="red"
        leftSection={<IconArrowBackUp size={16} />}
        onClick={() => setReversing(true)}
      >
        {t('selling.actions.reverse')}
      </Button>
      {reversing && (
        <ReasonModal
          title={t('selling.reason.reverseTitle')}
          loading={run.isPending}
          onClose={() => setReversing(false)}
          onSubmit={(reason) =>
            run.mutate(
              { action: 'reverse', body: { reason } },
              {
                onSuccess: () => {
                  notifySuccess(t('selling.done.reverse'));
                  setReversing(false);
                },
                onError: (err) => onError(err),
              },
            )
          }
        />
      )}
    </>
  );
}
