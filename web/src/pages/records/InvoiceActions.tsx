/**
 * The invoices object's header actions (`invoiceActions`): issue a draft (approvers), record a
 * payment against an issued invoice (POST /payments allocated to it), void it with a reason
 * (approvers, while nothing is paid), its PDF, which carries the VietQR code, and its legal
 * e-invoice (InvoiceEInvoice.tsx).
 */
import { Button, Group, Modal, NumberInput, Select, Stack, Text } from '@mantine/core';
import { IconCash, IconDownload, IconSend, IconX } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  pdfUrl,
  useDocumentAction,
  useRecordPayment,
  type Invoice,
  type PaymentBody,
} from '../../api/selling';
import { useCan } from '../../api/session';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { DateField } from './inputs';
import { InvoiceEInvoice } from './InvoiceEInvoice';
import type { PanelProps } from './panels';
import { ReasonModal } from './ReasonModal';

const methods = ['cash', 'bank_transfer', 'card'] as const;
type Method = (typeof methods)[number];

export function InvoiceActions({ record }: PanelProps) {
  const { t, i18n } = useTranslation();
  const onError = useErrorHandler();
  const canApprove = useCan('invoices', 'approve');
  const canPay = useCan('payments', 'create');
  const run = useDocumentAction<Invoice>('invoices', record.id);
  const [paying, setPaying] = useState(false);
  const [voiding, setVoiding] = useState(false);
  const status = String(record.status ?? '');
  const paid = Number(record.paidAmount ?? 0);
  const busy = (action: string) => run.isPending && run.variables?.action === action;

  return (
    <>
      {canApprove && status === 'draft' && (
        <Button
          leftSection={<IconSend size={16} />}
          loading={busy('issue')}
          onClick={() =>
            run.mutate(
              { action: 'issue' },
              {
                onSuccess: () => notifySuccess(t('selling.done.issue')),
                onError: (err) => onError(err),
              },
            )
          }
        >
          {t('selling.actions.issue')}
        </Button>
      )}
      {canPay && ['issued', 'partly_paid', 'overdue'].includes(status) && (
        <Button color="teal" leftSection={<IconCash size={16} />} onClick={() => setPaying(true)}>
          {t('selling.actions.recordPayment')}
        </Button>
      )}
      {canApprove && status !== 'void' && paid === 0 && (
        <Button
          variant="light"
          color="red"
          leftSection={<IconX size={16} />}
          onClick={() => setVoiding(true)}
        >
          {t('selling.actions.voidInvoice')}
        </Button>
      )}
      <InvoiceEInvoice record={record} canApprove={canApprove} />
      <Button
        component="a"
        href={pdfUrl('invoices', record.id, i18n.language)}
        download
        variant="default"
        leftSection={<IconDownload size={16} />}
      >
        {t('selling.actions.pdf')}
      </Button>
      {voiding && (
        <ReasonModal
          title={t('selling.reason.voidInvoiceTitle')}
          loading={busy('void')}
          onClose={() => setVoiding(false)}
          onSubmit={(reason) =>
            run.mutate(
              { action: 'void', body: { reason } },
              {
                onSuccess: () => {
                  notifySuccess(t('selling.done.voidInvoice'));
                  setVoiding(false);
                },
                onError: (err) => onError(err),
              },
            )
          }
        />
      )}
      {paying && <PaymentModal invoice={record} onClose={() => setPaying(false)} />}
    </>
  );
}

/** "Ghi nhận thanh toán": amount (default: the balance), method and date; allocated to this invoice. */
function PaymentModal({
  invoice,
  onClose,
}: {
  invoice: PanelProps['record'];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const onError = useErrorHandler();
  const save = useRecordPayment(invoice.id);
  const balance = Number(invoice.balance ?? 0);
  const [amount, setAmount] = useState<number>(balance);
  const [method, setMethod] = useState<Method>('bank_transfer');
  const [date, setDate] = useState<string | null>(dayjs().format('YYYY-MM-DD'));
  const companyId = typeof invoice.companyId === 'string' ? invoice.companyId : null;
  const contactId = typeof invoice.contactId === 'string' ? invoice.contactId : null;

  const submit = () => {
    if (!(amount > 0)) return;
    const body: PaymentBody = {
      method,
      amount,
      ...(date ? { paymentDate: date } : {}),
      ...(companyId ? { companyId } : { contactId }),
      allocations: [{ invoiceId: invoice.id, amount: Math.min(amount, balance) }],
    };
    save.mutate(body, {
      onSuccess: () => {
        notifySuccess(t('selling.done.payment'));
        onClose();
      },
      onError: (err) => onError(err),
    });
  };

  return (
    <Modal opened onClose={onClose} title={t('selling.payment.title')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('selling.payment.balance', { amount: fmt.money(balance) })}</Text>
          <NumberInput
            label={t('selling.payment.amount')}
            value={amount}
            onChange={(v) => setAmount(typeof v === 'number' ? v : 0)}
            min={1}
            allowDecimal={false}
            thousandSeparator="."
            decimalSeparator=","
            required
            data-autofocus
          />
          <Select
            label={t('selling.payment.method')}
            data={methods.map((m) => ({ value: m, label: t(`selling.payment.methods.${m}`) }))}
            value={method}
            onChange={(v) => v && setMethod(v as Method)}
            allowDeselect={false}
          />
          <DateField label={t('selling.payment.date')} value={date} onChange={setDate} />
          <Group justify="flex-end">
            <Button type="submit" color="teal" loading={save.isPending} disabled={!(amount > 0)}>
              {t('selling.payment.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
