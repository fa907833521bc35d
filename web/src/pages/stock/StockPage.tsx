/**
 * Kho hàng (#20): stock of every product per warehouse (on hand, reserved, available, the
 * reorder level and a red badge below it), the stock journal in words, and — for managers — a
 * receipt form, an adjustment form (reason required) and the warehouses. On a phone the tables
 * become cards.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Menu,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import {
  IconAdjustmentsHorizontal,
  IconBuildingWarehouse,
  IconDots,
  IconPackageImport,
  IconSearch,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/session';
import {
  MOVEMENT_KINDS,
  useCreateWarehouse,
  useDeleteWarehouse,
  usePostAdjustment,
  usePostReceipt,
  useStockLevels,
  useStockMovements,
  useUpdateWarehouse,
  useWarehouses,
  type MovementKind,
  type StockLevel,
  type StockMovement,
  type Warehouse,
} from '../../api/stock';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { FormModal } from '../../components/SettingsList';
import { notifySuccess, useErrorHandler, type ErrorTarget } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { RecordPicker } from '../records/inputs';

const PHONE = '(max-width: 47.99em)';
const nowrap = { whiteSpace: 'nowrap' } as const;

const kindColor: Record<MovementKind, string> = {
  receipt: 'teal',
  reserve: 'blue',
  release: 'gray',
  issue: 'orange',
  adjust: 'grape',
};

const kindLabel = (t: TFunction, kind: MovementKind) => t(`stock.kinds.${kind}`);

export function StockPage() {
  const { t } = useTranslation();
  const canReceive = useCan('stock', 'create');
  const canAdjust = useCan('stock', 'update');
  const [modal, setModal] = useState<'receipt' | 'adjust' | 'warehouses' | null>(null);
  const [tab, setTab] = useState<string | null>('levels');
  const close = () => setModal(null);

  return (
    <Stack gap="md" maw={1200}>
      <PageHeader
        title={t('stock.title')}
        description={t('stock.description')}
        actions={
          <>
            {canReceive && (
              <Button
                leftSection={<IconPackageImport size={16} />}
                onClick={() => setModal('receipt')}
              >
                {t('stock.receipt.open')}
              </Button>
            )}
            {canAdjust && (
              <Button
                variant="default"
                leftSection={<IconAdjustmentsHorizontal size={16} />}
                onClick={() => setModal('adjust')}
              >
                {t('stock.adjust.open')}
              </Button>
            )}
            <Button
              variant="default"
              leftSection={<IconBuildingWarehouse size={16} />}
              onClick={() => setModal('warehouses')}
            >
              {t('stock.warehouses.open')}
            </Button>
          </>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="levels">{t('stock.tabs.levels')}</Tabs.Tab>
          <Tabs.Tab value="movements">{t('stock.tabs.movements')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="levels" pt="md">
          <LevelsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="movements" pt="md">
          <MovementsPanel />
        </Tabs.Panel>
      </Tabs>
      {modal === 'receipt' && <MoveModal kind="receipt" onClose={close} />}
      {modal === 'adjust' && <MoveModal kind="adjust" onClose={close} />}
      <WarehousesModal opened={modal === 'warehouses'} onClose={close} canEdit={canAdjust} />
    </Stack>
  );
}

/** The warehouses as Select options (the live ones). */
function useWarehouseOptions() {
  const warehouses = useWarehouses();
  return (warehouses.data ?? []).map((w) => ({ value: w.id, label: w.name }));
}

function LevelsPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const phone = useMediaQuery(PHONE);
  const warehouses = useWarehouseOptions();
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [below, setBelow] = useState(false);
  const [search] = useDebouncedValue(q.trim(), 300);
  const levels = useStockLevels({
    ...(warehouseId ? { warehouseId } : {}),
    ...(search ? { q: search } : {}),
    ...(below ? { belowReorderLevel: 'true' as const } : {}),
  });
  const rows = levels.data?.pages.flatMap((p) => p.items) ?? [];
  const qty = (v: number | null) => (v === null ? '—' : fmt.number(v));
  const badge = (l: StockLevel) =>
    l.belowReorderLevel ? (
      <Badge color="red" variant="filled" size="sm" style={{ minWidth: 'max-content' }}>
        {t('stock.belowReorder')}
      </Badge>
    ) : null;

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('stock.filters.search')}
          placeholder={t('stock.filters.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          style={{ flex: '1 1 14rem' }}
        />
        <Select
          label={t('stock.filters.warehouse')}
          placeholder={t('stock.filters.allWarehouses')}
          data={warehouses}
          value={warehouseId}
          onChange={setWarehouseId}
          clearable
          style={{ flex: '1 1 12rem' }}
        />
        <Checkbox
          label={t('stock.filters.below')}
          checked={below}
          onChange={(e) => setBelow(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      {levels.isPending ? (
        <InlineLoader />
      ) : levels.error ? (
        <QueryError error={levels.error} onRetry={() => void levels.refetch()} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" py="lg" ta="center">
          {below ? t('stock.emptyBelow') : t('stock.empty')}
        </Text>
      ) : phone ? (
        <Stack gap="xs">
          {rows.map((l) => (
            <Card key={`${l.product.id}:${l.warehouse.id}`} withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text fw={500} size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {l.product.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {l.product.sku} · {l.warehouse.name}
                  </Text>
                </Stack>
                {badge(l)}
              </Group>
              <Group gap="md" mt={6} wrap="wrap">
                <Fact label={t('stock.onHand')} value={qty(l.onHand)} />
                <Fact label={t('stock.reserved')} value={qty(l.reserved)} />
                <Fact label={t('stock.available')} value={qty(l.available)} strong />
                <Fact label={t('stock.reorderLevel')} value={qty(l.reorderLevel)} />
              </Group>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing={6} aria-label={t('stock.tabs.levels')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('stock.product')}</Table.Th>
                <Table.Th>{t('stock.warehouse')}</Table.Th>
                <Table.Th ta="right" style={nowrap}>
                  {t('stock.onHand')}
                </Table.Th>
                <Table.Th ta="right" style={nowrap}>
                  {t('stock.reserved')}
                </Table.Th>
                <Table.Th ta="right" style={nowrap}>
                  {t('stock.available')}
                </Table.Th>
                <Table.Th ta="right" style={nowrap}>
                  {t('stock.reorderLevel')}
                </Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((l) => (
                <Table.Tr key={`${l.product.id}:${l.warehouse.id}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {l.product.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {l.product.sku} · {l.product.unit}
                    </Text>
                  </Table.Td>
                  <Table.Td style={nowrap}>{l.warehouse.name}</Table.Td>
                  <Table.Td ta="right">{qty(l.onHand)}</Table.Td>
                  <Table.Td ta="right">{qty(l.reserved)}</Table.Td>
                  <Table.Td ta="right" fw={600} c={l.available < 0 ? 'red' : undefined}>
                    {qty(l.available)}
                  </Table.Td>
                  <Table.Td ta="right">{qty(l.reorderLevel)}</Table.Td>
                  <Table.Td>{badge(l)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {levels.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void levels.fetchNextPage()}
          loading={levels.isFetchingNextPage}
          style={{ alignSelf: 'center' }}
        >
          {t('stock.more')}
        </Button>
      )}
    </Stack>
  );
}

function Fact({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={strong ? 600 : 400}>
        {value}
      </Text>
    </Stack>
  );
}

function MovementsPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const phone = useMediaQuery(PHONE);
  const warehouses = useWarehouseOptions();
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [kind, setKind] = useState<MovementKind | null>(null);
  const movements = useStockMovements({
    ...(warehouseId ? { warehouseId } : {}),
    ...(kind ? { kind } : {}),
  });
  const rows = movements.data?.pages.flatMap((p) => p.items) ?? [];
  // On hand's change: + received, − delivered, ± adjusted; a reservation moves no goods.
  const signed = (m: StockMovement) => {
    const sign =
      m.kind === 'receipt' || (m.kind === 'adjust' && m.quantity > 0)
        ? '+'
        : m.kind === 'issue' || m.kind === 'adjust'
          ? '−'
          : '';
    return `${sign}${fmt.number(Math.abs(m.quantity))} ${m.product.unit}`;
  };
  const kindBadge = (m: StockMovement) => (
    <Badge color={kindColor[m.kind]} variant="light" size="sm" style={{ minWidth: 'max-content' }}>
      {kindLabel(t, m.kind)}
    </Badge>
  );
  const after = (m: StockMovement) =>
    t('stock.after', { onHand: fmt.number(m.onHandAfter), reserved: fmt.number(m.reservedAfter) });
  const detail = (m: StockMovement) =>
    [
      m.reason,
      m.ref
        ? t('stock.ref', { object: t(`objects.${m.ref.object}`, { defaultValue: m.ref.object }) })
        : null,
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('stock.filters.warehouse')}
          placeholder={t('stock.filters.allWarehouses')}
          data={warehouses}
          value={warehouseId}
          onChange={setWarehouseId}
          clearable
          style={{ flex: '1 1 12rem' }}
        />
        <Select
          label={t('stock.filters.kind')}
          placeholder={t('stock.filters.allKinds')}
          data={MOVEMENT_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))}
          value={kind}
          onChange={(v) => setKind(v as MovementKind | null)}
          clearable
          style={{ flex: '1 1 12rem' }}
        />
      </Group>
      {movements.isPending ? (
        <InlineLoader />
      ) : movements.error ? (
        <QueryError error={movements.error} onRetry={() => void movements.refetch()} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" py="lg" ta="center">
          {t('stock.noMovements')}
        </Text>
      ) : phone ? (
        <Stack gap="xs">
          {rows.map((m) => (
            <Card key={m.id} withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text fw={500} size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {m.product.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.warehouse.name} · {fmt.dateTime(m.createdAt)}
                  </Text>
                </Stack>
                {kindBadge(m)}
              </Group>
              <Group justify="space-between" mt={6} gap="xs">
                <Text size="sm" fw={600}>
                  {signed(m)}
                </Text>
                <Text size="xs" c="dimmed">
                  {after(m)}
                </Text>
              </Group>
              {detail(m) && (
                <Text size="xs" mt={4} style={{ overflowWrap: 'anywhere' }}>
                  {detail(m)}
                </Text>
              )}
              <Text size="xs" c="dimmed" mt={2}>
                {m.user?.name ?? t('stock.system')}
              </Text>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing={6} aria-label={t('stock.tabs.movements')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('stock.time')}</Table.Th>
                <Table.Th>{t('stock.kind')}</Table.Th>
                <Table.Th>{t('stock.product')}</Table.Th>
                <Table.Th>{t('stock.warehouse')}</Table.Th>
                <Table.Th ta="right" style={nowrap}>
                  {t('stock.quantity')}
                </Table.Th>
                <Table.Th ta="right" style={nowrap}>
                  {t('stock.onHandAfter')}
                </Table.Th>
                <Table.Th>{t('stock.reason')}</Table.Th>
                <Table.Th>{t('stock.user')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(m.createdAt)}</Table.Td>
                  <Table.Td>{kindBadge(m)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.product.name}</Text>
                    <Text size="xs" c="dimmed">
                      {m.product.sku}
                    </Text>
                  </Table.Td>
                  <Table.Td style={nowrap}>{m.warehouse.name}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {signed(m)}
                  </Table.Td>
                  <Table.Td ta="right">{fmt.number(m.onHandAfter)}</Table.Td>
                  <Table.Td>{detail(m) || '—'}</Table.Td>
                  <Table.Td style={nowrap}>{m.user?.name ?? t('stock.system')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {movements.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void movements.fetchNextPage()}
          loading={movements.isFetchingNextPage}
          style={{ alignSelf: 'center' }}
        >
          {t('stock.more')}
        </Button>
      )}
    </Stack>
  );
}

interface MoveValues {
  warehouseId: string | null;
  productId: string | null;
  quantity: number | string;
  direction: 'in' | 'out';
  reason: string;
}

const threeDecimals = (v: number) => Number(v.toFixed(3)) === v;

/** The receipt form and the adjustment form (one product per entry; reason required to adjust). */
function MoveModal({ kind, onClose }: { kind: 'receipt' | 'adjust'; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery(PHONE);
  const onError = useErrorHandler();
  const warehouses = useWarehouses();
  const receipt = usePostReceipt();
  const adjustment = usePostAdjustment();
  const mutation = kind === 'receipt' ? receipt : adjustment;
  const defaultId = warehouses.data?.find((w) => w.isDefault)?.id ?? null;
  const form = useForm<MoveValues>({
    initialValues: {
      warehouseId: defaultId,
      productId: null,
      quantity: '',
      direction: 'out',
      reason: '',
    },
    validate: {
      warehouseId: (v) => (v ? null : t('validation.required')),
      productId: (v) => (v ? null : t('validation.required')),
      quantity: (v) =>
        typeof v !== 'number' || v <= 0 || !threeDecimals(v) ? t('stock.quantityInvalid') : null,
      reason: (v) => (kind === 'adjust' && !v.trim() ? t('stock.adjust.reasonRequired') : null),
    },
  });
  const warehouseId = form.values.warehouseId ?? defaultId;

  const submit = form.onSubmit((v) => {
    const quantity = Number(v.quantity);
    const lines = [
      {
        productId: v.productId!,
        quantity: kind === 'adjust' && v.direction === 'out' ? -quantity : quantity,
      },
    ];
    const body = {
      warehouseId: warehouseId!,
      lines,
      ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
    };
    const done = (r: { items: StockMovement[] }) => {
      const m = r.items[0];
      notifySuccess(
        t(kind === 'receipt' ? 'stock.receipt.done' : 'stock.adjust.done', {
          product: m?.product.name ?? '',
          onHand: m?.onHandAfter ?? 0,
        }),
      );
      onClose();
    };
    const fieldMap = {
      warehouseId: 'warehouseId',
      'lines.0.productId': 'productId',
      'lines.0.quantity': 'quantity',
      reason: 'reason',
    };
    const fail = (e: unknown) => onError(e, { form, fieldMap });
    if (kind === 'receipt') receipt.mutate(body, { onSuccess: done, onError: fail });
    else
      adjustment.mutate({ ...body, reason: v.reason.trim() }, { onSuccess: done, onError: fail });
  });

  return (
    <FormModal
      opened
      onClose={onClose}
      title={t(kind === 'receipt' ? 'stock.receipt.title' : 'stock.adjust.title')}
      submitLabel={t(kind === 'receipt' ? 'stock.receipt.submit' : 'stock.adjust.submit')}
      onSubmit={submit}
      loading={mutation.isPending}
      fullScreen={phone ?? false}
    >
      <Select
        label={t('stock.warehouse')}
        data={(warehouses.data ?? []).map((w) => ({ value: w.id, label: w.name }))}
        value={warehouseId}
        onChange={(v) => form.setFieldValue('warehouseId', v)}
        error={form.errors.warehouseId}
        required
        allowDeselect={false}
      />
      <RecordPicker
        label={t('stock.product')}
        types="products"
        value={form.values.productId}
        onChange={(v) => form.setFieldValue('productId', v)}
        error={form.errors.productId}
      />
      {kind === 'adjust' && (
        <Select
          label={t('stock.adjust.direction')}
          data={[
            { value: 'out', label: t('stock.adjust.out') },
            { value: 'in', label: t('stock.adjust.in') },
          ]}
          allowDeselect={false}
          {...form.getInputProps('direction')}
        />
      )}
      <NumberInput
        label={t('stock.quantity')}
        min={0}
        decimalScale={3}
        thousandSeparator={t('stock.thousands')}
        decimalSeparator={t('stock.decimal')}
        required
        {...form.getInputProps('quantity')}
      />
      <Textarea
        label={t(kind === 'receipt' ? 'stock.receipt.note' : 'stock.reason')}
        placeholder={t(
          kind === 'receipt' ? 'stock.receipt.notePlaceholder' : 'stock.adjust.reasonPlaceholder',
        )}
        required={kind === 'adjust'}
        autosize
        minRows={2}
        maxLength={500}
        {...form.getInputProps('reason')}
      />
    </FormModal>
  );
}

/** The warehouses: add, rename, make default, archive or bring back, delete one never used. */
function WarehousesModal({
  opened,
  onClose,
  canEdit,
}: {
  opened: boolean;
  onClose: () => void;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery(PHONE);
  const onError = useErrorHandler();
  const warehouses = useWarehouses(true);
  const create = useCreateWarehouse();
  const update = useUpdateWarehouse();
  const remove = useDeleteWarehouse();
  const [editing, setEditing] = useState<Warehouse | 'new' | null>(null);
  const patch = (w: Warehouse, body: Parameters<typeof update.mutate>[0]['body'], done: string) =>
    update.mutate(
      { id: w.id, body },
      { onSuccess: () => notifySuccess(t(done, { name: w.name })), onError: (e) => onError(e) },
    );

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('stock.warehouses.title')}
      size="lg"
      fullScreen={phone ?? false}
    >
      <Stack gap="sm">
        {warehouses.isPending ? (
          <InlineLoader />
        ) : warehouses.error ? (
          <QueryError error={warehouses.error} onRetry={() => void warehouses.refetch()} />
        ) : (
          (warehouses.data ?? []).map((w) => (
            <Card key={w.id} withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6}>
                    <Text fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {w.name}
                    </Text>
                    {w.isDefault && (
                      <Badge size="sm" variant="light">
                        {t('stock.warehouses.default')}
                      </Badge>
                    )}
                    {w.archived && (
                      <Badge size="sm" color="gray" variant="light">
                        {t('stock.warehouses.archived')}
                      </Badge>
                    )}
                  </Group>
                  {w.address && (
                    <Text size="xs" c="dimmed">
                      {w.address}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    {t('stock.warehouses.products', { count: w.productCount })}
                  </Text>
                </Stack>
                {canEdit && (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('stock.warehouses.actions', { name: w.name })}
                      >
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => setEditing(w)}>{t('common.edit')}</Menu.Item>
                      {!w.isDefault && !w.archived && (
                        <Menu.Item
                          onClick={() =>
                            patch(w, { isDefault: true }, 'stock.warehouses.madeDefault')
                          }
                        >
                          {t('stock.warehouses.makeDefault')}
                        </Menu.Item>
                      )}
                      {!w.isDefault && (
                        <Menu.Item
                          onClick={() =>
                            patch(
                              w,
                              { archived: !w.archived },
                              w.archived
                                ? 'stock.warehouses.restored'
                                : 'stock.warehouses.archivedDone',
                            )
                          }
                        >
                          {w.archived
                            ? t('stock.warehouses.restore')
                            : t('stock.warehouses.archive')}
                        </Menu.Item>
                      )}
                      {!w.isDefault && !w.hasMovements && (
                        <Menu.Item
                          color="red"
                          onClick={() =>
                            remove.mutate(w.id, {
                              onSuccess: () =>
                                notifySuccess(t('stock.warehouses.deleted', { name: w.name })),
                              onError: (e) => onError(e),
                            })
                          }
                        >
                          {t('common.delete')}
                        </Menu.Item>
                      )}
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Group>
            </Card>
          ))
        )}
        {canEdit && (
          <Button
            variant="light"
            onClick={() => setEditing('new')}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('stock.warehouses.create')}
          </Button>
        )}
      </Stack>
      {editing && (
        <WarehouseForm
          warehouse={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={(body, form) => {
            const done = (w: Warehouse) => {
              notifySuccess(t('stock.warehouses.saved', { name: w.name }));
              setEditing(null);
            };
            const fail = (e: unknown) => onError(e, { form });
            if (editing === 'new') create.mutate(body, { onSuccess: done, onError: fail });
            else update.mutate({ id: editing.id, body }, { onSuccess: done, onError: fail });
          }}
          loading={create.isPending || update.isPending}
        />
      )}
    </Modal>
  );
}

interface WarehouseValues {
  name: string;
  address: string;
}

function WarehouseForm({
  warehouse,
  onClose,
  onSave,
  loading,
}: {
  warehouse: Warehouse | null;
  onClose: () => void;
  onSave: (body: { name: string; address: string | null }, form: ErrorTarget) => void;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const form = useForm<WarehouseValues>({
    initialValues: { name: warehouse?.name ?? '', address: warehouse?.address ?? '' },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });
  return (
    <FormModal
      opened
      onClose={onClose}
      title={
        warehouse
          ? t('stock.warehouses.edit', { name: warehouse.name })
          : t('stock.warehouses.create')
      }
      onSubmit={form.onSubmit((v) =>
        onSave({ name: v.name.trim(), address: v.address.trim() || null }, form),
      )}
      loading={loading}
    >
      <TextInput
        label={t('stock.warehouses.name')}
        placeholder={t('stock.warehouses.namePlaceholder')}
        required
        maxLength={100}
        {...form.getInputProps('name')}
      />
      <TextInput
        label={t('stock.warehouses.address')}
        maxLength={500}
        {...form.getInputProps('address')}
      />
    </FormModal>
  );
}
