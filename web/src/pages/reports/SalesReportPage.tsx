/**
 * Forecast and sales reports (issue #19): a period (month, quarter, year in the workspace's
 * calendar), a pipeline, an owner or a team; the key figures, charts (revenue over time, by
 * owner against target, the funnel, forecast snapshots against the actual, leads by source)
 * each exportable as a PNG, and tables exportable as CSV / Excel. Every figure is what the
 * server counts for this user (a rep: their own deals).
 */
import {
  ActionIcon,
  Button,
  Card,
  Group,
  Menu,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconDownload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  reportExportUrl,
  usePipelineOptions,
  useSalesReport,
  type PeriodKind,
  type SalesReport,
  type SalesReportParams,
} from '../../api/reports';
import { useCan } from '../../api/session';
import { useTeams, useUsers } from '../../api/settings';
import { Chart, type ChartOption } from '../../components/Chart';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useFormat } from '../../lib/format';

const pad = (n: number) => String(n).padStart(2, '0');

/** The anchor date moved by whole periods (`step` −1 / +1). */
function shift(kind: PeriodKind, date: string, step: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const months = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const d = new Date(Date.UTC(y, m - 1 + step * months, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-01`;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

type Table = 'byOwner' | 'overTime' | 'funnel' | 'leadsBySource' | 'snapshots';

export function SalesReportPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const [period, setPeriod] = useState<PeriodKind>('month');
  const [date, setDate] = useState(today);
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const canExport = useCan('deals', 'export');
  const pipelines = usePipelineOptions();
  const users = useUsers(useCan('members', 'read'));
  const teams = useTeams(useCan('teams', 'read'));
  const params: SalesReportParams = {
    period,
    date,
    pipelineId: pipelineId ?? undefined,
    ownerId: ownerId ?? undefined,
    teamId: teamId ?? undefined,
  };
  const report = useSalesReport(params);
  const data = report.data;

  const periodLabel = (r: SalesReport['period']) => {
    const [y, m] = r.start.split('-').map(Number) as [number, number];
    if (r.kind === 'month') return t('reports.period.monthOf', { month: m, year: y });
    if (r.kind === 'quarter') return t('reports.period.quarterOf', { q: (m + 2) / 3, year: y });
    return t('reports.period.yearOf', { year: y });
  };
  const bucketLabel = (start: string) => {
    const [y, m, d] = start.split('-').map(Number) as [number, number, number];
    return period === 'month'
      ? t('reports.weekFrom', { date: `${pad(d)}/${pad(m)}` })
      : t('reports.monthShort', { month: m, year: y });
  };
  const money = (v: number) => fmt.money(v);
  const percent = (v: number | null) =>
    v === null ? '—' : `${fmt.number(Math.round(v * 1000) / 10)} %`;

  // Rebuilt when the data or the language change (a new option object redraws the charts).
  const charts = useMemo(() => (data ? chartOptions(data) : null), [data, lang]);

  function chartOptions(r: SalesReport): Record<string, ChartOption> {
    const axisMoney = {
      type: 'value',
      axisLabel: {
        formatter: (v: number) => t('reports.millions', { n: fmt.number(v / 1e6) }),
        fontSize: 13,
      },
    };
    const tooltipMoney = { valueFormatter: (v: number) => money(Number(v)) };
    return {
      overTime: {
        tooltip: { trigger: 'axis', ...tooltipMoney },
        xAxis: { type: 'category', data: r.overTime.map((b) => bucketLabel(b.start)) },
        yAxis: axisMoney,
        series: [
          {
            name: t('reports.won'),
            type: 'bar',
            data: r.overTime.map((b) => b.wonAmount),
          },
          {
            name: t('reports.weighted'),
            type: 'line',
            smooth: true,
            data: r.overTime.map((b) => b.weightedAmount),
          },
        ],
      },
      byOwner: {
        tooltip: { trigger: 'axis', ...tooltipMoney },
        xAxis: {
          type: 'category',
          data: r.byOwner.map((o) => o.name ?? t('reports.noOwner')),
          axisLabel: { interval: 0, rotate: r.byOwner.length > 5 ? 30 : 0 },
        },
        yAxis: axisMoney,
        series: [
          { name: t('reports.won'), type: 'bar', data: r.byOwner.map((o) => o.wonAmount) },
          {
            name: t('reports.weighted'),
            type: 'bar',
            data: r.byOwner.map((o) => o.weightedAmount),
          },
          {
            name: t('reports.target'),
            type: 'line',
            symbol: 'diamond',
            symbolSize: 14,
            lineStyle: { width: 0 },
            data: r.byOwner.map((o) => o.target),
          },
        ],
      },
      funnel: {
        tooltip: { trigger: 'item', formatter: '{b}: {c}' },
        legend: { show: false },
        series: [
          {
            type: 'funnel',
            sort: 'none',
            left: '5%',
            width: '55%',
            minSize: '4%',
            label: { show: true, position: 'right', fontSize: 14, formatter: '{b}: {c}' },
            labelLine: { show: true },
            data: [
              ...(r.funnel?.stages ?? []).map((s) => ({ name: s.name, value: s.reached })),
              { name: t('reports.wonStep'), value: r.funnel?.won ?? 0 },
            ],
          },
        ],
      },
      snapshots: {
        tooltip: { trigger: 'axis', ...tooltipMoney },
        xAxis: { type: 'category', data: r.snapshots.map((s) => fmt.date(s.takenOn)) },
        yAxis: axisMoney,
        series: [
          {
            name: t('reports.forecastThatDay'),
            type: 'line',
            data: r.snapshots.map((s) => s.forecastAmount),
            markLine: {
              symbol: 'none',
              label: { formatter: t('reports.actualNow'), fontSize: 13 },
              data: [{ yAxis: r.totals.wonAmount }],
            },
          },
          {
            name: t('reports.wonByThen'),
            type: 'line',
            data: r.snapshots.map((s) => s.wonAmount),
          },
        ],
      },
      sources: {
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: r.leadsBySource.map((s) => s.label[lang]) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('reports.leads'), type: 'bar', data: r.leadsBySource.map((s) => s.leads) },
          {
            name: t('reports.converted'),
            type: 'bar',
            data: r.leadsBySource.map((s) => s.converted),
          },
        ],
      },
    };
  }

  const exportMenu = (table: Table) =>
    canExport ? (
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-sm" variant="subtle" leftSection={<IconDownload size={14} />}>
            {t('reports.export')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item component="a" href={reportExportUrl(params, table, 'xlsx')} download>
            Excel (.xlsx)
          </Menu.Item>
          <Menu.Item component="a" href={reportExportUrl(params, table, 'csv')} download>
            CSV
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    ) : null;

  const file = (name: string) => `sen-${name}-${data?.period.start ?? date}`;

  return (
    <Stack gap="md">
      <PageHeader title={t('reports.title')} description={t('reports.description')} />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SegmentedControl
          value={period}
          onChange={(v) => setPeriod(v as PeriodKind)}
          data={[
            { value: 'month', label: t('reports.period.month') },
            { value: 'quarter', label: t('reports.period.quarter') },
            { value: 'year', label: t('reports.period.year') },
          ]}
          aria-label={t('reports.period.label')}
        />
        <Group gap={4} wrap="nowrap">
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() => setDate(shift(period, data?.period.start ?? date, -1))}
            aria-label={t('reports.previous')}
          >
            <IconChevronLeft size={16} />
          </ActionIcon>
          <Text fw={600} miw={130} ta="center" data-testid="report-period">
            {data ? periodLabel(data.period) : '…'}
          </Text>
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() => setDate(shift(period, data?.period.start ?? date, 1))}
            aria-label={t('reports.next')}
          >
            <IconChevronRight size={16} />
          </ActionIcon>
        </Group>
        <Select
          label={t('reports.pipeline')}
          placeholder={t('reports.allPipelines')}
          data={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={pipelineId}
          onChange={setPipelineId}
          clearable
          w={200}
        />
        {(users.data?.length ?? 0) > 0 && (
          <Select
            label={t('reports.owner')}
            placeholder={t('reports.everyone')}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={ownerId}
            onChange={setOwnerId}
            clearable
            searchable
            w={200}
          />
        )}
        {(teams.data?.length ?? 0) > 0 && (
          <Select
            label={t('reports.team')}
            placeholder={t('reports.allTeams')}
            data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            value={teamId}
            onChange={setTeamId}
            clearable
            w={180}
          />
        )}
      </Group>

      {report.isError && <QueryError error={report.error} onRetry={() => void report.refetch()} />}
      {!data && report.isPending && <InlineLoader />}
      {data && charts && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="sm">
            <Kpi
              label={t('reports.won')}
              value={money(data.totals.wonAmount)}
              hint={t('reports.dealsCount', { count: data.totals.wonCount })}
              testId="kpi-won"
            />
            <Kpi
              label={t('reports.weighted')}
              value={money(data.totals.weightedAmount)}
              hint={t('reports.weightedHint')}
            />
            <Kpi
              label={t('reports.bestCase')}
              value={money(data.totals.bestCaseAmount)}
              hint={t('reports.bestCaseHint')}
            />
            <Kpi
              label={t('reports.attainment')}
              value={percent(data.totals.attainment)}
              hint={
                data.totals.target === null
                  ? t('reports.noTarget')
                  : t('reports.ofTarget', { target: money(data.totals.target) })
              }
            />
            <Kpi
              label={t('reports.winRate')}
              value={percent(data.totals.winRate)}
              hint={t('reports.winRateHint', {
                won: data.totals.wonCount,
                lost: data.totals.lostCount,
              })}
            />
            <Kpi
              label={t('reports.averageDeal')}
              value={
                data.totals.averageDealSize === null ? '—' : money(data.totals.averageDealSize)
              }
            />
            <Kpi
              label={t('reports.cycle')}
              value={
                data.totals.salesCycleDays === null
                  ? '—'
                  : t('reports.days', { count: data.totals.salesCycleDays })
              }
            />
            <Kpi
              label={t('reports.open')}
              value={money(data.totals.openAmount)}
              hint={t('reports.dealsCount', { count: data.totals.openCount })}
            />
          </SimpleGrid>

          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <Section title={t('reports.overTime')} action={exportMenu('overTime')}>
              <Chart
                option={charts.overTime!}
                label={t('reports.overTime')}
                fileName={file('doanh-thu')}
              />
            </Section>
            <Section title={t('reports.byOwner')} action={exportMenu('byOwner')}>
              <Chart
                option={charts.byOwner!}
                label={t('reports.byOwner')}
                fileName={file('nhan-vien')}
              />
            </Section>
            <Section
              title={t('reports.funnel', { pipeline: data.funnel?.pipelineName ?? '' })}
              action={exportMenu('funnel')}
            >
              <Chart
                option={charts.funnel!}
                label={t('reports.funnelLabel')}
                fileName={file('pheu')}
              />
            </Section>
            <Section title={t('reports.snapshots')} action={exportMenu('snapshots')}>
              {data.snapshots.length === 0 ? (
                <Text c="dimmed" size="sm">
                  {t('reports.noSnapshots')}
                </Text>
              ) : (
                <Chart
                  option={charts.snapshots!}
                  label={t('reports.snapshots')}
                  fileName={file('du-bao')}
                />
              )}
            </Section>
          </SimpleGrid>

          <Section title={t('reports.byOwner')} action={exportMenu('byOwner')}>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reports.owner')}</Table.Th>
                    <Table.Th ta="right">{t('reports.won')}</Table.Th>
                    <Table.Th ta="right">{t('reports.weighted')}</Table.Th>
                    <Table.Th ta="right">{t('reports.target')}</Table.Th>
                    <Table.Th ta="right">{t('reports.attainment')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.byOwner.map((o) => (
                    <Table.Tr key={o.ownerId ?? 'none'}>
                      <Table.Td>{o.name ?? t('reports.noOwner')}</Table.Td>
                      <Table.Td ta="right">{money(o.wonAmount)}</Table.Td>
                      <Table.Td ta="right">{money(o.weightedAmount)}</Table.Td>
                      <Table.Td ta="right">{o.target === null ? '—' : money(o.target)}</Table.Td>
                      <Table.Td ta="right">{percent(o.attainment)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Section>

          <Section title={t('reports.sources')} action={exportMenu('leadsBySource')}>
            {data.leadsBySource.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('reports.noLeads')}
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
                <Chart
                  option={charts.sources!}
                  label={t('reports.sources')}
                  fileName={file('nguon')}
                  height={260}
                />
                {/* Half of a 1280 px screen beside the sidebar: no column cut off there. */}
                <Table.ScrollContainer minWidth={400}>
                  <Table striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('reports.source')}</Table.Th>
                        <Table.Th ta="right">{t('reports.leads')}</Table.Th>
                        <Table.Th ta="right">{t('reports.conversionRate')}</Table.Th>
                        <Table.Th ta="right">{t('reports.won')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.leadsBySource.map((s) => (
                        <Table.Tr key={s.source ?? 'none'}>
                          <Table.Td>{s.label[lang]}</Table.Td>
                          <Table.Td ta="right">{fmt.number(s.leads)}</Table.Td>
                          <Table.Td ta="right">{percent(s.conversionRate)}</Table.Td>
                          <Table.Td ta="right">{money(s.wonAmount)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </SimpleGrid>
            )}
          </Section>
        </>
      )}
    </Stack>
  );
}

function Kpi({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <Card withBorder radius="md" padding="sm" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function Section({
  title,
  action,
  children,
}: {
  title: string;
  action?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Card withBorder radius="md" padding="md" component="section">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={2} size="h4">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}
