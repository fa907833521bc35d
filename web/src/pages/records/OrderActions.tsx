/**
 * The orders object's header actions (`orderActions`) and its deliveries panel
 * (`orderDeliveries`). A draft is confirmed (the server refuses with INSUFFICIENT_STOCK and says
 * which product is short); a confirmed order is delivered (in parts), invoiced or cancelled with
 * a reason. Every action is POST /orders/:id/<action>; the server decides, the buttons follow.
 */
import { Button, Card, Group, Modal, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconDownload, IconFileDollar, IconTruck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  pdfUrl,
  useDocumentAction,
  useOrderDeliveries,
  type Invoice,
  type Order,
} from '../../api/selling';
import { useCan } from '../../api/session';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import type { PanelProps } from './panels';
import { ReasonModal } from './ReasonModal';

export function OrderActions({ record, canUpdate }: PanelProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const onError = useErrorHandler();
  const canInvoice = useCan('invoices', 'create');
  const run = useDocumentAction<Order>('orders', record.id);
  const invoice = useDocumentAction<Invoice>('orders', record.id);
  const [delivering, setDelivering] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const status = String(record.status ?? '');
  const delivery = String(record.deliveryStatus ?? '');
  const busy = (action: string) => run.isPending && run.variables?.action === action;

  const act = (action: string, done: string, body?: unknown, after?: () => void) =>
    run.mutate(
      { action, body },
      {
        onSuccess: () => {
          notifySuccess(done);
          after?.();
        },
        onError: (err) => onError(err),
      },
    );

  return (
    <>
      {canUpdate && status === 'draft' && (
        <Button
          leftSection={<IconCheck size={16} />}
          loading={busy('confirm')}
          onClick={() => act('confirm', t('selling.done.confirm'))}
        >
          {t('selling.actions.confirm')}
        </Button>
      )}
      {canUpdate && status === 'confirmed' && (
        <>
          {delivery !== 'delivered' && (
            <Button leftSection={<IconTruck size={16} />} onClick={() => setDelivering(true)}>
              {t('selling.actions.deliver')}
            </Button>
          )}
          {canInvoice && (
            <Button
              variant="light"
              leftSection={<IconFileDollar size={16} />}
              loading={invoice.isPending}
              onClick={() =>
                invoice.mutate(
                  { action: 'invoice', creates: 'invoices' },
                  {
                    onSuccess: (inv) => {
                      notifySuccess(t('selling.done.invoice'));
                      void navigate(`/invoices/${inv.id}`);
                    },
                    onError: (err) => onError(err),
                  },
                )
              }
            >
              {t('selling.actions.invoice')}
            </Button>
          )}
          <Button
            variant="light"
            color="red"
            leftSection={<IconX size={16} />}
            onClick={() => setCancelling(true)}
          >
            {t('selling.actions.cancelOrder')}
          </Button>
        </>
      )}
      <Button
        component="a"
        href={pdfUrl('orders', record.id, i18n.language)}
        download
        variant="default"
        leftSection={<IconDownload size={16} />}
      >
        {t('selling.actions.pdf')}
      </Button>
      {cancelling && (
        <ReasonModal
          title={t('selling.reason.cancelOrderTitle')}
          loading={busy('cancel')}
          onClose={() => setCancelling(false)}
          onSubmit={(reason) =>
            act('cancel', t('selling.done.cancelOrder'), { reason }, () => setCancelling(false))
          }
        />
      )}
      {delivering && (
        <DeliverModal
          orderId={record.id}
          loading={busy('deliveries')}
          onClose={() => setDelivering(false)}
          onSubmit={(lines) =>
            act('deliveries', t('selling.done.deliver'), { lines }, () => setDelivering(false))
          }
        />
      )}
    </>
  );
}

/** "Giao hàng": each line still to deliver, with the quantity delivered now (default: the rest). */
function DeliverModal({
  orderId,
  loading,
  onSubmit,
  onClose,
}: {
  orderId: string;
  loading: boolean;
  onSubmit: (lines: { lineId: string; quantity: number }[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const progress = useOrderDeliveries(orderId);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const open = progress.data?.lines.filter((l) => l.remaining > 0) ?? [];
  const quantityOf = (lineId: string, remaining: number) => quantities[lineId] ?? remaining;
  const lines = open
    .map((l) => ({ lineId: l.lineId, quantity: quantityOf(l.lineId, l.remaining) }))
    .filter((l) => l.quantity > 0);
  return (
    <Modal opened onClose={onClose} title={t('selling.deliveries.title')} size="lg" centered>
      {progress.isPending && <InlineLoader />}
      {progress.isError && <QueryError error={progress.error} />}
      {progress.data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (lines.length > 0) onSubmit(lines);
          }}
        >
          <Stack gap="sm">
            {open.length === 0 && <Text c="dimmed">{t('selling.deliveries.nothing')}</Text>}
            {open.map((l) => (
              <Group key={l.lineId} justify="space-between" wrap="nowrap" align="flex-end">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {l.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('selling.deliveries.ordered')} {fmt.number(l.quantity)} ·{' '}
                    {t('selling.deliveries.remaining')} {fmt.number(l.remaining)} {l.unit}
                  </Text>
                </div>
                <NumberInput
                  aria-label={`${t('selling.deliveries.now')}: ${l.name}`}
                  w={110}
                  min={0}
                  max={l.remaining}
                  value={quantityOf(l.lineId, l.remaining)}
                  onChange={(v) =>
                    setQuantities((q) => ({ ...q, [l.lineId]: typeof v === 'number' ? v : 0 }))
                  }
                />
              </Group>
            ))}
            <Group justify="flex-end">
              <Button type="submit" loading={loading} disabled={lines.length === 0}>
                {t('selling.deliveries.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** The order's deliveries: each line's delivered and remaining, then each delivery. */
export function OrderDeliveries({ record }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const progress = useOrderDeliveries(record.id);
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-labelledby="order-deliveries-title"
    >
      <Title order={2} size="h4" mb="sm" id="order-deliveries-title">
        {t('selling.deliveries.panel')}
      </Title>
      <Stack gap="xs">
        {progress.isPending && <InlineLoader />}
        {progress.isError && <QueryError error={progress.error} />}
        {progress.data && (
          <>
            <Table.ScrollContainer minWidth={280}>
              <Table verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('selling.deliveries.product')}</Table.Th>
                    <Table.Th ta="right">{t('selling.deliveries.delivered')}</Table.Th>
                    <Table.Th ta="right">{t('selling.deliveries.remaining')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {progress.data.lines.map((l) => (
                    <Table.Tr key={l.lineId}>
                      <Table.Td>{l.name}</Table.Td>
                      <Table.Td ta="right">
                        {fmt.number(l.delivered)}/{fmt.number(l.quantity)}
                      </Table.Td>
                      <Table.Td ta="right">{fmt.number(l.remaining)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {progress.data.deliveries.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('selling.deliveries.none')}
              </Text>
            ) : (
              progress.data.deliveries.map((d) => (
                <div key={d.id}>
                  <Text size="sm" fw={500}>
                    {t('selling.deliveries.on', { date: fmt.date(d.deliveredOn) })}
                    {d.createdBy
                      ? ` · ${t('selling.deliveries.by', { name: d.createdBy.name })}`
                      : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {d.lines.map((l) => `${l.name} × ${fmt.number(l.quantity)}`).join(', ')}
                  </Text>
                  {d.note && <Text size="xs">{d.note}</Text>}
                </div>
              ))
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
