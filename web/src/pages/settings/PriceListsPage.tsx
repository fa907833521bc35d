import {
  ActionIcon,
  Badge,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconCurrencyDong, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCreatePriceList,
  useDeletePriceList,
  usePriceListItems,
  usePriceLists,
  useProductSearch,
  useSavePriceListItems,
  useUpdatePriceList,
  type PriceList,
  type PriceListItem,
} from '../../api/price-lists';
import { useCan } from '../../api/session';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { RowAction } from '../../components/RowAction';
import {
  EditDeleteActions,
  EmptyList,
  FormModal,
  SettingsPage,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

type Editing =
  { mode: 'create' } | { mode: 'edit'; list: PriceList } | { mode: 'prices'; list: PriceList };

const useFullScreen = () => useMediaQuery('(max-width: 36em)') ?? false;

/**
 * Settings → Bảng giá: price lists per customer group ("Đại lý cấp 1", "Khách lẻ"). A company
 * or contact names its list ("Bảng giá" in its form); a quote takes that list's price, else the
 * product's own. Managers and admins edit; everyone who reads products sees the lists.
 */
export function PriceListsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lists = usePriceLists();
  const canUpdate = useCan('price_lists', 'update');
  const remove = useDeletePriceList();
  const [editing, setEditing] = useState<Editing | null>(null);
  const deleting = useConfirmAction<PriceList>({
    title: (list) => t('settings.priceLists.deleteTitle', { name: list?.name ?? '' }),
    text: (list) =>
      t('settings.priceLists.deleteText', {
        count: (list?.companyCount ?? 0) + (list?.contactCount ?? 0),
      }),
    loading: remove.isPending,
    run: (list) => remove.mutateAsync(list.id),
    done: (list) => t('settings.priceLists.deleted', { name: list.name }),
  });
  const close = () => setEditing(null);

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.priceLists.title')}
      description={t('settings.priceLists.description')}
      create={
        canUpdate && {
          label: t('settings.priceLists.create'),
          onClick: () => setEditing({ mode: 'create' }),
        }
      }
    >
      <SettingsTable
        query={lists}
        rowKey={(list) => list.id}
        minWidth={720}
        empty={
          <EmptyList
            title={t('settings.priceLists.empty')}
            hint={t('settings.priceLists.emptyHint')}
          />
        }
        columns={[
          {
            header: t('settings.priceLists.name'),
            cell: (list) => (
              <Stack gap={2}>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {list.name}
                  </Text>
                  {list.isDefault && (
                    <Badge size="sm" variant="light">
                      {t('settings.priceLists.default')}
                    </Badge>
                  )}
                  {!list.active && (
                    <Badge size="sm" variant="light" color="gray">
                      {t('settings.priceLists.inactive')}
                    </Badge>
                  )}
                </Group>
                {list.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {list.description}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            header: t('settings.priceLists.products'),
            cell: (list) => <Text size="sm">{fmt.number(list.itemCount)}</Text>,
          },
          {
            header: t('settings.priceLists.customers'),
            cell: (list) => (
              <Text size="sm">
                {t('settings.priceLists.customerCount', {
                  companies: fmt.number(list.companyCount),
                  contacts: fmt.number(list.contactCount),
                })}
              </Text>
            ),
          },
        ]}
        actions={(list) => (
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <RowAction
              label={t(canUpdate ? 'settings.priceLists.editPrices' : 'settings.priceLists.prices')}
              ariaLabel={t(
                canUpdate ? 'settings.priceLists.editPricesNamed' : 'settings.priceLists.pricesOf',
                { name: list.name },
              )}
              icon={<IconCurrencyDong size={16} />}
              onClick={() => setEditing({ mode: 'prices', list })}
            />
            <EditDeleteActions
              edit={
                canUpdate && {
                  label: t('settings.priceLists.editNamed', { name: list.name }),
                  onClick: () => setEditing({ mode: 'edit', list }),
                }
              }
              remove={
                canUpdate && {
                  label: t('settings.priceLists.deleteNamed', { name: list.name }),
                  onClick: () => deleting.open(list),
                }
              }
            />
          </Group>
        )}
      />
      {(editing?.mode === 'create' || editing?.mode === 'edit') && (
        <ListModal
          key={editing.mode === 'edit' ? editing.list.id : 'new'}
          list={editing.mode === 'edit' ? editing.list : null}
          onClose={close}
        />
      )}
      {editing?.mode === 'prices' && (
        <PricesModal
          key={editing.list.id}
          list={editing.list}
          readOnly={!canUpdate}
          onClose={close}
        />
      )}
      {deleting.modal}
    </SettingsPage>
  );
}

/** Create or edit a list: name, description, active, default. */
function ListModal({ list, onClose }: { list: PriceList | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreatePriceList();
  const update = useUpdatePriceList();
  const onError = useErrorHandler();
  const fullScreen = useFullScreen();
  const form = useForm({
    initialValues: {
      name: list?.name ?? '',
      description: list?.description ?? '',
      active: list?.active ?? true,
      isDefault: list?.isDefault ?? false,
    },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit((v) => {
    const body = {
      name: v.name.trim(),
      description: v.description.trim() || null,
      active: v.active,
      isDefault: v.active && v.isDefault,
    };
    const done = {
      onSuccess: (saved: PriceList) => {
        notifySuccess(
          t(list ? 'settings.priceLists.saved' : 'settings.priceLists.created', {
            name: saved.name,
          }),
        );
        onClose();
      },
      onError: (err: unknown) => onError(err, { form }),
    };
    if (list) update.mutate({ id: list.id, body }, done);
    else create.mutate(body, done);
  });

  return (
    <FormModal
      opened
      onClose={onClose}
      title={
        list
          ? t('settings.priceLists.editNamed', { name: list.name })
          : t('settings.priceLists.create')
      }
      fullScreen={fullScreen}
      onSubmit={submit}
      loading={create.isPending || update.isPending}
    >
      <TextInput
        label={t('settings.priceLists.name')}
        placeholder={t('settings.priceLists.namePlaceholder')}
        required
        data-autofocus
        maxLength={100}
        {...form.getInputProps('name')}
      />
      <Textarea
        label={t('settings.priceLists.descriptionLabel')}
        autosize
        minRows={2}
        maxLength={1000}
        {...form.getInputProps('description')}
      />
      <Switch
        label={t('settings.priceLists.active')}
        description={t('settings.priceLists.activeHint')}
        {...form.getInputProps('active', { type: 'checkbox' })}
      />
      <Switch
        label={t('settings.priceLists.isDefault')}
        description={t('settings.priceLists.isDefaultHint')}
        disabled={!form.values.active}
        {...form.getInputProps('isDefault', { type: 'checkbox' })}
      />
    </FormModal>
  );
}

/** One line of the list being edited: a product and its price in the list. */
interface Row {
  productId: string;
  sku: string;
  name: string;
  unit: string;
  productUnitPrice: number;
  productActive: boolean;
  productDeleted: boolean;
  unitPrice: number | string;
}

const rowOf = (i: PriceListItem): Row => ({ ...i });

/** (price − base) / base in %, one decimal; null when the base is 0 or the price not a number. */
function difference(price: number | string, base: number): number | null {
  if (typeof price !== 'number' || base === 0) return null;
  return Math.round(((price - base) / base) * 1000) / 10;
}

function PricesModal({
  list,
  readOnly,
  onClose,
}: {
  list: PriceList;
  readOnly: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const items = usePriceListItems(list.id);
  const fullScreen = useFullScreen();
  return items.error ? (
    <FormModal opened onClose={onClose} title={list.name} onSubmit={onClose} loading={false}>
      <QueryError error={items.error} onRetry={() => void items.refetch()} />
    </FormModal>
  ) : !items.data ? (
    <FormModal
      opened
      onClose={onClose}
      title={t('settings.priceLists.pricesOf', { name: list.name })}
      onSubmit={(e) => e.preventDefault()}
      loading
      readOnly
    >
      <InlineLoader />
    </FormModal>
  ) : (
    <PricesForm
      list={list}
      initial={items.data.items.map(rowOf)}
      readOnly={readOnly}
      fullScreen={fullScreen}
      onClose={onClose}
    />
  );
}

function PricesForm({
  list,
  initial,
  readOnly,
  fullScreen,
  onClose,
}: {
  list: PriceList;
  initial: Row[];
  readOnly: boolean;
  fullScreen: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const save = useSavePriceListItems();
  const onError = useErrorHandler();
  const form = useForm<{ rows: Row[] }>({
    initialValues: { rows: initial },
    validate: {
      rows: {
        unitPrice: (v) =>
          typeof v === 'number' && Number.isInteger(v) && v >= 0
            ? null
            : t('settings.priceLists.priceRequired'),
      },
    },
  });
  const rows = form.values.rows;

  const submit = form.onSubmit((v) => {
    save.mutate(
      {
        id: list.id,
        body: {
          items: v.rows.map((r) => ({ productId: r.productId, unitPrice: Number(r.unitPrice) })),
        },
      },
      {
        onSuccess: (saved) => {
          notifySuccess(
            t('settings.priceLists.pricesSaved', {
              name: saved.priceList.name,
              count: saved.items.length,
            }),
          );
          onClose();
        },
        onError: (err) =>
          onError(err, {
            form,
            fields: rows.flatMap((_, i) => [`rows.${i}.unitPrice`, `rows.${i}.productId`]),
            fieldMap: Object.fromEntries(
              rows.flatMap((_, i) => [
                [`items.${i}.unitPrice`, `rows.${i}.unitPrice`],
                [`items.${i}.productId`, `rows.${i}.unitPrice`],
              ]),
            ),
          }),
      },
    );
  });

  const thousand = i18n.language === 'en' ? ',' : '.';
  const decimal = i18n.language === 'en' ? '.' : ',';
  const percent = (d: number | null) =>
    d === null
      ? '—'
      : `${d > 0 ? '+' : ''}${d.toLocaleString(i18n.language === 'en' ? 'en' : 'vi', { maximumFractionDigits: 1 })} %`;

  return (
    <FormModal
      opened
      onClose={onClose}
      title={t(readOnly ? 'settings.priceLists.pricesOf' : 'settings.priceLists.editPricesNamed', {
        name: list.name,
      })}
      size="xl"
      fullScreen={fullScreen}
      onSubmit={submit}
      loading={save.isPending}
      readOnly={readOnly}
    >
      <Text size="sm" c="dimmed">
        {t('settings.priceLists.pricesHint')}
      </Text>
      {!readOnly && (
        <ProductPicker
          taken={new Set(rows.map((r) => r.productId))}
          onPick={(p) =>
            form.insertListItem('rows', {
              productId: p.id,
              sku: p.sku,
              name: p.name,
              unit: p.unit,
              productUnitPrice: p.unitPrice,
              productActive: p.active,
              productDeleted: false,
              unitPrice: p.unitPrice,
            } satisfies Row)
          }
        />
      )}
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('settings.priceLists.noItems')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.priceLists.product')}</Table.Th>
                <Table.Th ta="right">{t('settings.priceLists.listPrice')}</Table.Th>
                <Table.Th w={190}>{t('settings.priceLists.price')}</Table.Th>
                <Table.Th ta="right">{t('settings.priceLists.difference')}</Table.Th>
                {!readOnly && <Table.Th w={40} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => {
                const d = difference(r.unitPrice, r.productUnitPrice);
                return (
                  <Table.Tr key={r.productId}>
                    <Table.Td>
                      <Text size="sm" fw={500} lineClamp={2}>
                        {r.name}
                      </Text>
                      <Group gap={6}>
                        <Text size="xs" c="dimmed">
                          {r.sku} · {r.unit}
                        </Text>
                        {r.productDeleted ? (
                          <Badge size="xs" color="red" variant="light">
                            {t('settings.priceLists.productDeleted')}
                          </Badge>
                        ) : (
                          !r.productActive && (
                            <Badge size="xs" color="gray" variant="light">
                              {t('settings.priceLists.productInactive')}
                            </Badge>
                          )
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{fmt.money(r.productUnitPrice)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {readOnly ? (
                        <Text size="sm">{fmt.money(Number(r.unitPrice))}</Text>
                      ) : (
                        <NumberInput
                          aria-label={t('settings.priceLists.priceOf', { name: r.name })}
                          size="sm"
                          min={0}
                          max={1e15}
                          allowNegative={false}
                          allowDecimal={false}
                          thousandSeparator={thousand}
                          decimalSeparator={decimal}
                          suffix=" ₫"
                          hideControls
                          {...form.getInputProps(`rows.${i}.unitPrice`)}
                        />
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text
                        size="sm"
                        c={d === null || d === 0 ? 'dimmed' : d < 0 ? 'teal' : 'orange'}
                      >
                        {percent(d)}
                      </Text>
                    </Table.Td>
                    {!readOnly && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('settings.priceLists.remove', { name: r.name })}
                          onClick={() => form.removeListItem('rows', i)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </FormModal>
  );
}

/** Search the catalogue by name or SKU and add a product not yet in the list. */
function ProductPicker({
  taken,
  onPick,
}: {
  taken: Set<string>;
  onPick: (p: {
    id: string;
    sku: string;
    name: string;
    unit: string;
    unitPrice: number;
    active: boolean;
  }) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const hits = useProductSearch(q);
  const byId = useMemo(() => new Map((hits.data ?? []).map((p) => [p.id, p])), [hits.data]);
  const data = (hits.data ?? [])
    .filter((p) => !taken.has(p.id))
    .map((p) => ({
      value: p.id,
      label: `${p.name} · ${p.sku} · ${fmt.money(p.unitPrice)}`,
    }));
  return (
    <Select
      label={t('settings.priceLists.addProduct')}
      placeholder={t('settings.priceLists.addProductPlaceholder')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={data}
      value={null}
      onChange={(id) => {
        const p = id ? byId.get(id) : undefined;
        if (p) onPick(p);
        setSearch('');
      }}
      nothingFoundMessage={hits.isFetching ? t('common.loading') : t('common.nothingFound')}
      comboboxProps={{ withinPortal: false }}
    />
  );
}
