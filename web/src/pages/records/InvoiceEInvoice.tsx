/**
 * The invoice's legal e-invoice in its header actions: "Phát hành hóa đơn điện tử" (approvers,
 * an issued invoice, a provider set up), then its number and state, a status refresh and the
 * signed PDF and XML. Voiding the invoice cancels it at the provider (the server does).
 */
import { Badge, Button, Menu, Text } from '@mantine/core';
import { IconFileCertificate, IconRefresh, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eInvoiceFileUrl, useEInvoiceAction, useInvoiceEInvoice } from '../../api/einvoice';
import { ConfirmModal } from '../../components/ConfirmModal';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import type { PanelProps } from './panels';

const statusColor: Record<string, string> = {
  submitting: 'blue',
  issued: 'teal',
  failed: 'red',
  cancelled: 'gray',
  replaced: 'orange',
  adjusted: 'orange',
};

export function InvoiceEInvoice({
  record,
  canApprove,
}: {
  record: PanelProps['record'];
  canApprove: boolean;
}) {
  const { t, i18n } = useTranslation();
  const onError = useErrorHandler();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const state = useInvoiceEInvoice(record.id, Number(record.version ?? 0));
  const run = useEInvoiceAction(record.id);
  const [confirming, setConfirming] = useState(false);
  const data = state.data;
  if (!data || !data.configured) return null;
  const sub = data.submission;
  const issue = () =>
    run.mutate('issue', {
      onSuccess: () => {
        notifySuccess(t('selling.einvoice.issued'));
        setConfirming(false);
      },
      onError: (err) => {
        setConfirming(false);
        onError(err);
      },
    });

  return (
    <>
      {canApprove && data.issuable && (
        <Button
          variant="light"
          leftSection={<IconFileCertificate size={16} />}
          loading={run.isPending && run.variables === 'issue'}
          onClick={() => setConfirming(true)}
        >
          {sub?.status === 'failed' ? t('selling.einvoice.retry') : t('selling.einvoice.issue')}
        </Button>
      )}
      {sub && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              variant="default"
              rightSection={
                <Badge color={statusColor[sub.status] ?? 'gray'} variant="light">
                  {t(`selling.einvoice.status.${sub.status}`)}
                </Badge>
              }
            >
              {sub.invoiceNumber
                ? t('selling.einvoice.label', { number: sub.invoiceNumber })
                : t('selling.einvoice.labelPending')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {sub.lookupCode && (
              <Menu.Label>
                <Text size="xs">{t('selling.einvoice.lookup', { code: sub.lookupCode })}</Text>
              </Menu.Label>
            )}
            {sub.invoiceNumber && (
              <>
                <Menu.Item
                  component="a"
                  href={eInvoiceFileUrl(record.id, 'pdf')}
                  download
                  leftSection={<IconDownload size={14} />}
                >
                  {t('selling.einvoice.pdf')}
                </Menu.Item>
                <Menu.Item
                  component="a"
                  href={eInvoiceFileUrl(record.id, 'xml')}
                  download
                  leftSection={<IconDownload size={14} />}
                >
                  {t('selling.einvoice.xml')}
                </Menu.Item>
              </>
            )}
            <Menu.Item
              leftSection={<IconRefresh size={14} />}
              onClick={() => run.mutate('status', { onError: (err) => onError(err) })}
            >
              {t('selling.einvoice.refresh')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      )}
      <ConfirmModal
        opened={confirming}
        title={t('selling.einvoice.confirmTitle')}
        confirmLabel={t('selling.einvoice.issue')}
        loading={run.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={issue}
      >
        {t('selling.einvoice.confirm', { provider: data.providerName?.[lang] ?? '' })}
      </ConfirmModal>
    </>
  );
}
