/**
 * The quotes object's header actions (`quoteActions`): what can be done with the quote in its
 * status, by the user's permissions — send it (a discount above the sender's limit asks for a
 * manager's approval first), ask for, give or refuse that approval with a comment, record the
 * customer's answer, revise a sent quote into a new version — and the versions sent before.
 * Every action is POST /quotes/:id/<action>; the server decides, the buttons only follow it.
 */
import { Badge, Button, Modal, Stack, Table, Text, Textarea, Tooltip } from '@mantine/core';
import {
  IconCheck,
  IconDownload,
  IconHistory,
  IconPencil,
  IconSend,
  IconShoppingCart,
  IconShieldCheck,
  IconThumbDown,
  IconThumbUp,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { useQuoteAction, useQuoteRevisions, type QuoteAction } from '../../api/quotes';
import { pdfUrl, useDocumentAction, type Order } from '../../api/selling';
import { useCan } from '../../api/session';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import type { PanelProps } from './panels';

/** An action that asks for a comment first (its dialog's words). */
interface Asking {
  action: QuoteAction;
  /** Why the dialog opened (the server's refusal of a send), shown above the comment. */
  reason?: string;
}

const approvalColor: Record<string, string> = {
  pending: 'orange',
  approved: 'teal',
  rejected: 'red',
};

export function QuoteActions({ record, canUpdate }: PanelProps) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const canApprove = useCan('quotes', 'approve');
  const canOrder = useCan('orders', 'create');
  const navigate = useNavigate();
  const makeOrder = useDocumentAction<Order>('quotes', record.id);
  const run = useQuoteAction(record.id);
  const onError = useErrorHandler();
  const [asking, setAsking] = useState<Asking | null>(null);
  const [comment, setComment] = useState('');
  const [revisionsOpen, setRevisionsOpen] = useState(false);
  const status = String(record.status ?? '');
  const approval = String(record.approvalStatus ?? 'none');
  const discount = Number(record.discountPercent ?? 0);
  const revision = Number(record.revision ?? 1);
  const pending = approval === 'pending';

  const done: Record<QuoteAction, string> = {
    send: t('quotes.done.send'),
    accept: t('quotes.done.accept'),
    reject: t('quotes.done.reject'),
    revise: t('quotes.done.revise'),
    'request-approval': t('quotes.done.requestApproval'),
    approve: t('quotes.done.approve'),
    'reject-approval': t('quotes.done.rejectApproval'),
  };

  const act = (action: QuoteAction, text: string | null = null) =>
    run.mutate(
      { action, comment: text },
      {
        onSuccess: () => {
          notifySuccess(done[action]);
          setAsking(null);
          setComment('');
        },
        onError: (err) => {
          // A discount above the sender's limit: offer to ask a manager, with a comment.
          if (action === 'send' && isApiError(err, 'APPROVAL_REQUIRED') && !pending) {
            setAsking({ action: 'request-approval', reason: err.message });
            return;
          }
          onError(err);
        },
      },
    );
  const ask = (action: QuoteAction) => {
    setComment('');
    setAsking({ action });
  };

  const dialog: Record<string, { title: string; label: string; confirm: string; color?: string }> =
    {
      'request-approval': {
        title: t('quotes.ask.requestApproval.title'),
        label: t('quotes.ask.requestApproval.label'),
        confirm: t('quotes.ask.requestApproval.confirm'),
      },
      approve: {
        title: t('quotes.ask.approve.title', { percent: fmt.number(discount) }),
        label: t('quotes.ask.approve.label'),
        confirm: t('quotes.ask.approve.confirm'),
        color: 'teal',
      },
      'reject-approval': {
        title: t('quotes.ask.rejectApproval.title', { percent: fmt.number(discount) }),
        label: t('quotes.ask.rejectApproval.label'),
        confirm: t('quotes.ask.rejectApproval.confirm'),
        color: 'red',
      },
      reject: {
        title: t('quotes.ask.reject.title'),
        label: t('quotes.ask.reject.label'),
        confirm: t('quotes.ask.reject.confirm'),
        color: 'red',
      },
    };
  const words = asking ? dialog[asking.action] : undefined;
  const busy = (action: QuoteAction) => run.isPending && run.variables?.action === action;

  const approvedBy = (record.approvedBy as { name?: string } | null)?.name;
  const approvalNote = [
    approvedBy ? t('quotes.approval.by', { name: approvedBy }) : null,
    typeof record.approvalComment === 'string' && record.approvalComment
      ? `“${record.approvalComment}”`
      : null,
  ]
    .filter(Boolean)
    .join(' ');
  const percentOfApproval =
    approval === 'approved' && record.approvedDiscountPercent != null
      ? Number(record.approvedDiscountPercent)
      : discount;

  return (
    <>
      {approval !== 'none' && (
        <Tooltip label={approvalNote} disabled={!approvalNote} multiline maw={320}>
          <Badge color={approvalColor[approval] ?? 'gray'} variant="light" size="lg">
            {t(`quotes.approval.${approval}`, { percent: fmt.number(percentOfApproval) })}
          </Badge>
        </Tooltip>
      )}
      {canUpdate && status === 'draft' && (
        <>
          <Button
            leftSection={<IconSend size={16} />}
            loading={busy('send')}
            disabled={pending && !canApprove}
            onClick={() => act('send')}
          >
            {t('quotes.actions.send')}
          </Button>
          {!pending && !canApprove && discount > 0 && approval !== 'approved' && (
            <Button
              variant="light"
              leftSection={<IconShieldCheck size={16} />}
              onClick={() => ask('request-approval')}
            >
              {t('quotes.actions.requestApproval')}
            </Button>
          )}
        </>
      )}
      {canApprove && pending && (
        <>
          <Button color="teal" leftSection={<IconCheck size={16} />} onClick={() => ask('approve')}>
            {t('quotes.actions.approve')}
          </Button>
          <Button
            variant="light"
            color="red"
            leftSection={<IconX size={16} />}
            onClick={() => ask('reject-approval')}
          >
            {t('quotes.actions.rejectApproval')}
          </Button>
        </>
      )}
      {canUpdate && status === 'sent' && (
        <>
          <Button
            color="teal"
            leftSection={<IconThumbUp size={16} />}
            loading={busy('accept')}
            onClick={() => act('accept')}
          >
            {t('quotes.actions.accept')}
          </Button>
          <Button
            variant="light"
            color="red"
            leftSection={<IconThumbDown size={16} />}
            onClick={() => ask('reject')}
          >
            {t('quotes.actions.reject')}
          </Button>
        </>
      )}
      {canUpdate && ['sent', 'rejected', 'expired'].includes(status) && (
        <Button
          variant="default"
          leftSection={<IconPencil size={16} />}
          loading={busy('revise')}
          onClick={() => act('revise')}
        >
          {t('quotes.actions.revise')}
        </Button>
      )}
      {canOrder && status === 'accepted' && (
        <Button
          color="teal"
          leftSection={<IconShoppingCart size={16} />}
          loading={makeOrder.isPending}
          onClick={() =>
            makeOrder.mutate(
              { action: 'order', creates: 'orders' },
              {
                onSuccess: (order) => {
                  notifySuccess(t('selling.done.order'));
                  void navigate(`/orders/${order.id}`);
                },
                onError: (err) => onError(err),
              },
            )
          }
        >
          {t('selling.actions.makeOrder')}
        </Button>
      )}
      <Button
        component="a"
        href={pdfUrl('quotes', record.id, i18n.language)}
        download
        variant="default"
        leftSection={<IconDownload size={16} />}
      >
        {t('selling.actions.pdf')}
      </Button>
      {revision > 1 && (
        <Button
          variant="subtle"
          leftSection={<IconHistory size={16} />}
          onClick={() => setRevisionsOpen(true)}
        >
          {t('quotes.revisions.open')}
        </Button>
      )}
      <Modal
        opened={!!asking && !!words}
        onClose={() => setAsking(null)}
        title={words?.title}
        centered
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (asking) act(asking.action, comment);
          }}
        >
          <Stack gap="sm">
            {asking?.reason && <Text size="sm">{asking.reason}</Text>}
            <Textarea
              label={words?.label}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={2000}
              data-autofocus
            />
            <Stack gap="xs" align="flex-end">
              <Button
                type="submit"
                color={words?.color}
                loading={asking ? busy(asking.action) : false}
              >
                {words?.confirm}
              </Button>
            </Stack>
          </Stack>
        </form>
      </Modal>
      {revisionsOpen && <Revisions quoteId={record.id} onClose={() => setRevisionsOpen(false)} />}
    </>
  );
}

/** "Các phiên bản đã gửi": each version kept when the quote was revised. */
function Revisions({ quoteId, onClose }: { quoteId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const revisions = useQuoteRevisions(quoteId, true);
  return (
    <Modal opened onClose={onClose} title={t('quotes.revisions.title')} size="lg" centered>
      {revisions.isPending && <InlineLoader />}
      {revisions.isError && <QueryError error={revisions.error} />}
      {revisions.data && (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('quotes.revisions.revision')}</Table.Th>
                <Table.Th>{t('quotes.revisions.when')}</Table.Th>
                <Table.Th>{t('quotes.revisions.by')}</Table.Th>
                <Table.Th ta="right">{t('quotes.revisions.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {revisions.data.items.map((r) => {
                const quote = r.snapshot.quote as { total?: number } | null | undefined;
                const lines = r.snapshot.lines as unknown[] | undefined;
                return (
                  <Table.Tr key={r.revision}>
                    <Table.Td>{t('quotes.revisions.number', { n: r.revision })}</Table.Td>
                    <Table.Td>{fmt.dateTime(r.createdAt)}</Table.Td>
                    <Table.Td>{r.createdBy?.name ?? '—'}</Table.Td>
                    <Table.Td ta="right">
                      {typeof quote?.total === 'number' ? fmt.money(quote.total) : '—'}
                      <Text size="xs" c="dimmed">
                        {t('quotes.revisions.lines', { count: lines?.length ?? 0 })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}
