/**
 * Công nợ (#20): what customers owe on the issued invoices this user may see — totals, then per
 * customer (its company or contact page, owner, balance and its ages past the due date), with
 * each customer's statement of account as a PDF. "Chỉ khách quá hạn" keeps the overdue ones.
 * The table scrolls inside its own region on a phone; the page never scrolls sideways.
 */
import { Anchor, Card, Group, SimpleGrid, Stack, Switch, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { statementUrl, useReceivables } from '../../api/selling';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useFormat } from '../../lib/format';

const buckets = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'over90'] as const;

export function ReceivablesPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [overdue, setOverdue] = useState(false);
  const report = useReceivables(overdue);
  const bucketOf = (b: Record<string, number>, key: (typeof buckets)[number]) => b[key] ?? 0;

  return (
    <Stack gap="md">
      <PageHeader title={t('selling.receivables.title')} />
      <Switch
        label={t('selling.receivables.overdueOnly')}
        checked={overdue}
        onChange={(e) => setOverdue(e.currentTarget.checked)}
      />
      {report.isPending && <InlineLoader />}
      {report.isError && <QueryError error={report.error} />}
      {report.data && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 7 }} spacing="sm">
            <Figure
              label={t('selling.receivables.balance')}
              value={fmt.money(report.data.totals.balance)}
            />
            {buckets.map((b) => (
              <Figure
                key={b}
                label={t(`selling.receivables.buckets.${b}`)}
                value={fmt.money(bucketOf(report.data.totals.buckets, b))}
              />
            ))}
            <Figure
              label={t('selling.receivables.credit')}
              value={fmt.money(report.data.totals.credit)}
            />
          </SimpleGrid>
          {report.data.customers.length === 0 ? (
            <Text c="dimmed">{t('selling.receivables.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="xs" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('selling.receivables.customer')}</Table.Th>
                    <Table.Th>{t('selling.receivables.owner')}</Table.Th>
                    <Table.Th ta="right">{t('selling.receivables.balance')}</Table.Th>
                    {buckets.map((b) => (
                      <Table.Th key={b} ta="right">
                        {t(`selling.receivables.buckets.${b}`)}
                      </Table.Th>
                    ))}
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.data.customers.map((c) => (
                    <Table.Tr key={`${c.customer.object}:${c.customer.id}`}>
                      <Table.Td>
                        <Anchor component={Link} to={`/${c.customer.object}/${c.customer.id}`}>
                          {c.customer.name}
                        </Anchor>
                        {c.overdueInvoices > 0 && (
                          <Text size="xs" c="red">
                            {t('selling.receivables.overdueInvoices', { count: c.overdueInvoices })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{c.owner?.name ?? '—'}</Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {fmt.money(c.balance)}
                      </Table.Td>
                      {buckets.map((b) => (
                        <Table.Td
                          key={b}
                          ta="right"
                          c={
                            b === 'notDue'
                              ? undefined
                              : bucketOf(c.buckets, b) > 0
                                ? 'red'
                                : 'dimmed'
                          }
                        >
                          {fmt.money(bucketOf(c.buckets, b))}
                        </Table.Td>
                      ))}
                      <Table.Td>
                        <Anchor
                          href={statementUrl(c.customer.object, c.customer.id, i18n.language)}
                          download
                          size="sm"
                        >
                          <Group gap={4} wrap="nowrap">
                            <IconDownload size={14} />
                            {t('selling.receivables.statement')}
                          </Group>
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700}>{value}</Text>
    </Card>
  );
}
