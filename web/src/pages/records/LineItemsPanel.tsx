/**
 * The `lineItems` record page panel (quotes; later orders and invoices): the document's lines
 * and totals from GET /<object>/:id/line-items, edited in place and saved at once with PUT
 * (If-Match: the version the lines were read at). While editing, amounts and totals are worked
 * out with the server's own arithmetic (src/lib/selling/amounts.ts) so the figures shown are the
 * figures saved; a product line without a typed price shows its amount after saving (the price
 * comes from the customer's price list or the product). Wide screens get a table, phones one
 * card per line. Read-only, with the server's reason, when the lines cannot change (a sent
 * quote) or the user may not update the record.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconArrowDown,
  IconArrowUp,
  IconDeviceFloppy,
  IconLock,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { computeDocument, computeLine } from '../../../../src/lib/selling/amounts';
import { amountInWords } from '../../../../src/lib/vn/amount-in-words';
import { isApiError } from '../../api/client';
import {
  useLineItems,
  useSaveLineItems,
  type LineItem,
  type LineItemInput,
  type LineItemsTotals,
  type VatRate,
} from '../../api/lineItems';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { RecordPicker } from './inputs';
import type { PanelProps } from './panels';

const VAT_RATES: VatRate[] = ['10', '8', '5', '0', 'none'];
type DiscountKind = 'percent' | 'amount';
type LineField = 'productId' | 'name' | 'quantity' | 'unit' | 'unitPrice' | 'discount' | 'vatRate';

/** A line as edited. Empty values of a product line are filled from the product when saved. */
interface Draft {
  key: string;
  productId: string | null;
  productLabel: string | null;
  productDeleted: boolean;
  name: string;
  /** undefined: the product's (a new product was picked). */
  sku: string | null | undefined;
  description: string | null;
  unit: string;
  /** As typed ("2,5" in Vietnamese). */
  quantity: string;
  /** '': the price list's or the product's. */
  unitPrice: number | '';
  discountKind: DiscountKind;
  /** '' or 0: no discount. */
  discountValue: number | '';
  /** null: the product's rate. */
  vatRate: VatRate | null;
  /**
   * The saved line's margin (lãi gộp), for a role that may see cost prices; undefined for the
   * others and for lines being edited (the server computes it when they are saved).
   */
  margin?: { value: number; percent: number | null } | null;
}

let nextKey = 0;
const newKey = () => `new-${++nextKey}`;

function draftOf(item: LineItem, lang: string): Draft {
  return {
    key: item.id,
    productId: item.productId,
    productLabel: item.productId ? item.name : null,
    productDeleted: item.productDeleted,
    name: item.name,
    sku: item.sku,
    description: item.description,
    unit: item.unit,
    quantity: quantityText(item.quantity, lang),
    unitPrice: item.unitPrice,
    discountKind: item.discount?.kind ?? 'percent',
    discountValue: item.discount?.value ?? '',
    vatRate: item.vatRate,
    ...(item.margin === undefined
      ? {}
      : {
          margin:
            item.margin === null
              ? null
              : { value: item.margin, percent: item.marginPercent ?? null },
        }),
  };
}

const emptyDraft = (): Draft => ({
  key: newKey(),
  productId: null,
  productLabel: null,
  productDeleted: false,
  name: '',
  sku: null,
  description: null,
  unit: '',
  quantity: '1',
  unitPrice: '',
  discountKind: 'percent',
  discountValue: '',
  vatRate: '10',
});

/** 2.5 → "2,5" in Vietnamese; never grouped (a quantity is typed back as is). */
function quantityText(q: number, lang: string): string {
  const text = String(q);
  return lang === 'en' ? text : text.replace('.', ',');
}

const normalQuantity = (q: string) => q.trim().replace(/\s/g, '').replace(',', '.');

const discountOf = (d: Draft) =>
  d.discountValue === '' || d.discountValue === 0
    ? null
    : { kind: d.discountKind, value: d.discountValue };

/** What PUT receives for a line: blanks of a product line left out, for the server to fill. */
function inputOf(d: Draft): LineItemInput {
  const name = d.name.trim();
  const unit = d.unit.trim();
  return {
    productId: d.productId,
    ...(name || !d.productId ? { name } : {}),
    ...(d.sku !== undefined ? { sku: d.sku } : {}),
    description: d.description,
    ...(unit ? { unit } : {}),
    quantity: normalQuantity(d.quantity),
    ...(d.unitPrice !== '' ? { unitPrice: d.unitPrice } : {}),
    discount: discountOf(d),
    ...(d.vatRate ? { vatRate: d.vatRate } : {}),
  };
}

/** The line's amounts by the server's rules, or null while a figure is missing or wrong. */
function previewLine(d: Draft) {
  if (d.unitPrice === '' || !d.vatRate) return null;
  const r = computeLine({
    quantity: normalQuantity(d.quantity),
    unitPrice: d.unitPrice,
    discount: discountOf(d),
    vatRate: d.vatRate,
  });
  return r.ok ? r.value : null;
}

/** The document's totals while editing, or null when a line cannot be worked out yet. */
function previewTotals(drafts: Draft[]): LineItemsTotals | null {
  if (drafts.some((d) => d.unitPrice === '' || !d.vatRate)) return null;
  const r = computeDocument(
    drafts.map((d) => ({
      quantity: normalQuantity(d.quantity),
      unitPrice: d.unitPrice,
      discount: discountOf(d),
      vatRate: d.vatRate ?? '10',
    })),
  );
  if (!r.ok) return null;
  const doc = r.value;
  let discountPercent = 0;
  for (const l of doc.lines) {
    if (l.gross > 0) discountPercent = Math.max(discountPercent, (l.discount * 100) / l.gross);
  }
  return {
    subtotal: doc.subtotal,
    discountTotal: doc.discountTotal,
    netTotal: doc.netTotal,
    vatLines: doc.byRate,
    vatTotal: doc.vatTotal,
    total: doc.grandTotal,
    totalInWords: amountInWords(doc.grandTotal),
    discountPercent: Math.round(discountPercent * 100) / 100,
  };
}

type Errors = Record<string, Partial<Record<LineField, string>>>;

export function LineItemsPanel({ object, record, canUpdate }: PanelProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const titleId = useId();
  const view = useLineItems(object, record.id);
  const save = useSaveLineItems(object, record.id);
  const onError = useErrorHandler();
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  /** The lines being edited and the version they were read at; null: showing the saved ones. */
  const [editing, setEditing] = useState<{ drafts: Draft[]; version: number } | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [conflict, setConflict] = useState(false);

  const data = view.data;
  const saved = useMemo(() => (data ? data.items.map((i) => draftOf(i, lang)) : []), [data, lang]);
  const drafts = editing?.drafts ?? saved;
  const editable = canUpdate && !!data && !data.locked;
  const preview = useMemo(() => (editing ? previewTotals(editing.drafts) : null), [editing]);
  const totals = editing ? preview : (data?.totals ?? null);

  if (view.isPending) return <PanelCard titleId={titleId} title={t('lineItems.title')} />;
  if (view.isError || !data) {
    return (
      <PanelCard titleId={titleId} title={t('lineItems.title')}>
        <QueryError error={view.error} onRetry={() => void view.refetch()} />
      </PanelCard>
    );
  }

  const change = (fn: (list: Draft[]) => Draft[]) =>
    setEditing((e) => ({
      drafts: fn(e?.drafts ?? saved),
      version: e?.version ?? data.version,
    }));
  const update = (key: string, patch: Partial<Draft>, fields: LineField[]) => {
    change((list) => list.map((d) => (d.key === key ? { ...d, ...patch } : d)));
    setErrors((all) => {
      const mine = all[key];
      if (!mine || !fields.some((f) => mine[f])) return all;
      const next = { ...mine };
      for (const f of fields) delete next[f];
      return { ...all, [key]: next };
    });
  };
  const move = (index: number, by: -1 | 1) =>
    change((list) => {
      const next = [...list];
      const [line] = next.splice(index, 1);
      if (line) next.splice(index + by, 0, line);
      return next;
    });
  const remove = (key: string) => change((list) => list.filter((d) => d.key !== key));
  const add = () => change((list) => [...list, emptyDraft()]);
  const cancel = () => {
    setEditing(null);
    setErrors({});
    setConflict(false);
  };

  const submit = () => {
    if (!editing) return;
    const sent = editing.drafts;
    save.mutate(
      { items: sent.map(inputOf), version: editing.version },
      {
        onSuccess: () => {
          cancel();
          notifySuccess(t('lineItems.saved'));
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT')) setConflict(true);
          const next: Errors = {};
          const others: string[] = [];
          for (const f of isApiError(err) ? err.fieldErrors : []) {
            const m = /^items\.(\d+)\.(\w+)$/.exec(f.path);
            const line = m ? sent[Number(m[1])] : undefined;
            if (line && m) next[line.key] = { ...next[line.key], [m[2] as LineField]: f.message };
            else others.push(f.message);
          }
          setErrors(next);
          if (Object.keys(next).length === 0 || others.length > 0) onError(err);
        },
      },
    );
  };

  const lineProps = (d: Draft, index: number): LineProps => ({
    draft: d,
    index,
    count: drafts.length,
    errors: errors[d.key] ?? {},
    editable,
    onChange: (patch, fields) => update(d.key, patch, fields),
    onMove: (by) => move(index, by),
    onRemove: () => remove(d.key),
  });

  return (
    <PanelCard
      titleId={titleId}
      title={t('lineItems.title')}
      aside={
        editing && (
          <Text size="sm" c="orange.8" fw={500}>
            {t('lineItems.unsaved')}
          </Text>
        )
      }
    >
      {data.locked && (
        <Alert color="gray" icon={<IconLock size={18} />} p="xs">
          {data.locked}
        </Alert>
      )}
      {!data.locked && !canUpdate && (
        <Text size="sm" c="dimmed">
          {t('lineItems.readOnly')}
        </Text>
      )}
      {conflict && (
        <Alert color="orange" p="xs">
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t('lineItems.conflict')}</Text>
            <Button
              size="xs"
              variant="light"
              color="orange"
              onClick={() => {
                cancel();
                void view.refetch();
              }}
            >
              {t('lineItems.reload')}
            </Button>
          </Group>
        </Alert>
      )}
      {drafts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('lineItems.empty')}
        </Text>
      ) : wide ? (
        <LinesTable drafts={drafts} editable={editable} lineProps={lineProps} />
      ) : (
        <Stack gap="sm">
          {drafts.map((d, i) => (
            <LineCard key={d.key} {...lineProps(d, i)} />
          ))}
        </Stack>
      )}
      {editable && (
        <Group justify="space-between" gap="xs">
          <Button
            variant="light"
            size="sm"
            leftSection={<IconPlus size={16} />}
            onClick={add}
            disabled={drafts.length >= 500}
          >
            {t('lineItems.add')}
          </Button>
          {editing && (
            <Group gap="xs">
              <Button variant="default" size="sm" onClick={cancel} disabled={save.isPending}>
                {t('lineItems.cancel')}
              </Button>
              <Button
                size="sm"
                leftSection={<IconDeviceFloppy size={16} />}
                loading={save.isPending}
                onClick={submit}
              >
                {t('lineItems.save')}
              </Button>
            </Group>
          )}
        </Group>
      )}
      <TotalsBlock totals={totals} pending={!!editing} />
    </PanelCard>
  );
}

function PanelCard({
  titleId,
  title,
  aside,
  children,
}: {
  titleId: string;
  title: string;
  aside?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby={titleId}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h4" id={titleId}>
          {title}
        </Title>
        {aside}
      </Group>
      <Stack gap="sm">{children ?? <InlineLoader />}</Stack>
    </Card>
  );
}

interface LineProps {
  draft: Draft;
  index: number;
  count: number;
  errors: Partial<Record<LineField, string>>;
  editable: boolean;
  onChange: (patch: Partial<Draft>, fields: LineField[]) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

/** The inputs of one line, each named "<field>, line <n>" for screen readers. */
function useLineInputs({ draft: d, index, errors, onChange }: LineProps) {
  const { t, i18n } = useTranslation();
  const vi = i18n.language !== 'en';
  const n = index + 1;
  const name = (field: string) => t('lineItems.ofLine', { field, n });
  const money = { thousandSeparator: vi ? '.' : ',', decimalSeparator: vi ? ',' : '.' };
  const fromProduct = d.productId ? t('lineItems.fromProduct') : undefined;
  const vatOptions = [
    ...(d.vatRate === null ? [{ value: '', label: t('lineItems.fromProduct') }] : []),
    ...VAT_RATES.map((r) => ({ value: r, label: t(`lineItems.vat.${r}`) })),
  ];
  return {
    product: (label?: string) => (
      <RecordPicker
        label={label ?? ''}
        types="products"
        value={d.productId}
        initialLabel={d.productLabel}
        error={errors.productId}
        onChange={(productId) =>
          onChange(
            // Another product: its name, unit, price and VAT are the server's to fill.
            productId === d.productId
              ? {}
              : {
                  productId,
                  productLabel: null,
                  productDeleted: false,
                  name: '',
                  sku: productId ? undefined : null,
                  unit: '',
                  unitPrice: '',
                  vatRate: productId ? null : '10',
                },
            ['productId', 'name', 'unit', 'unitPrice', 'vatRate'],
          )
        }
        select={{
          'aria-label': name(t('lineItems.product')),
          ...(label ? {} : { label: undefined }),
          placeholder: t('lineItems.productPlaceholder'),
          comboboxProps: { width: 320, position: 'bottom-start' },
        }}
      />
    ),
    name: (label?: string) => (
      <TextInput
        label={label}
        aria-label={name(t('lineItems.name'))}
        value={d.name}
        placeholder={fromProduct ?? t('lineItems.namePlaceholder')}
        error={errors.name}
        maxLength={500}
        onChange={(e) => onChange({ name: e.currentTarget.value }, ['name'])}
      />
    ),
    quantity: (label?: string) => (
      <TextInput
        label={label}
        aria-label={name(t('lineItems.quantity'))}
        value={d.quantity}
        inputMode="decimal"
        error={errors.quantity}
        styles={{ input: { textAlign: 'right' } }}
        onChange={(e) => onChange({ quantity: e.currentTarget.value }, ['quantity'])}
      />
    ),
    unit: (label?: string) => (
      <TextInput
        label={label}
        aria-label={name(t('lineItems.unitLong'))}
        value={d.unit}
        placeholder={fromProduct ?? t('lineItems.unitPlaceholder')}
        error={errors.unit}
        maxLength={50}
        onChange={(e) => onChange({ unit: e.currentTarget.value }, ['unit'])}
      />
    ),
    unitPrice: (label?: string) => (
      <NumberInput
        label={label}
        aria-label={name(t('lineItems.unitPrice'))}
        value={d.unitPrice}
        placeholder={fromProduct}
        error={errors.unitPrice}
        allowNegative={false}
        allowDecimal={false}
        hideControls
        {...money}
        styles={{ input: { textAlign: 'right' } }}
        onChange={(v) =>
          onChange({ unitPrice: typeof v === 'number' ? v : '' }, ['unitPrice', 'discount'])
        }
      />
    ),
    discount: (label?: string) => (
      <NumberInput
        label={label}
        aria-label={name(t('lineItems.discount'))}
        value={d.discountValue}
        error={errors.discount}
        allowNegative={false}
        allowDecimal={d.discountKind === 'percent'}
        decimalScale={d.discountKind === 'percent' ? 2 : 0}
        hideControls
        {...money}
        styles={{ input: { textAlign: 'right' } }}
        rightSectionWidth={52}
        rightSectionPointerEvents="all"
        rightSection={
          <NativeSelect
            aria-label={name(t('lineItems.discountKind'))}
            variant="unstyled"
            size="xs"
            value={d.discountKind}
            data={[
              { value: 'percent', label: '%' },
              { value: 'amount', label: 'đ' },
            ]}
            onChange={(e) =>
              onChange({ discountKind: e.currentTarget.value as DiscountKind }, ['discount'])
            }
          />
        }
        onChange={(v) => onChange({ discountValue: typeof v === 'number' ? v : '' }, ['discount'])}
      />
    ),
    vat: (label?: string) => (
      <NativeSelect
        label={label}
        aria-label={name(t('lineItems.vatRate'))}
        value={d.vatRate ?? ''}
        data={vatOptions}
        error={errors.vatRate}
        onChange={(e) =>
          onChange({ vatRate: (e.currentTarget.value || null) as VatRate | null }, ['vatRate'])
        }
      />
    ),
  };
}

function LineAmount({ draft }: { draft: Draft }) {
  const fmt = useFormat();
  const { t } = useTranslation();
  const line = previewLine(draft);
  if (!line) {
    return (
      <Text size="sm" c="dimmed" title={t('lineItems.amountAfterSave')}>
        —
      </Text>
    );
  }
  return (
    <Stack gap={0} align="flex-end">
      <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
        {fmt.money(line.net)}
      </Text>
      {line.discount > 0 && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {t('lineItems.discountOf', { amount: fmt.money(line.discount) })}
        </Text>
      )}
    </Stack>
  );
}

function LineButtons({ index, count, onMove, onRemove }: LineProps) {
  const { t } = useTranslation();
  const n = index + 1;
  return (
    <Group gap={0} wrap="nowrap" justify="flex-end">
      <ActionIcon
        variant="subtle"
        color="gray"
        size="sm"
        aria-label={t('lineItems.moveUp', { n })}
        disabled={index === 0}
        onClick={() => onMove(-1)}
      >
        <IconArrowUp size={16} />
      </ActionIcon>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="sm"
        aria-label={t('lineItems.moveDown', { n })}
        disabled={index === count - 1}
        onClick={() => onMove(1)}
      >
        <IconArrowDown size={16} />
      </ActionIcon>
      <ActionIcon
        variant="subtle"
        color="red"
        size="sm"
        aria-label={t('lineItems.remove', { n })}
        onClick={onRemove}
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

/** What a read-only line shows: the product's name, and what it sells for. */
function useLineText(d: Draft) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const discount = discountOf(d);
  return {
    quantity: d.quantity,
    unitPrice: d.unitPrice === '' ? '—' : fmt.money(d.unitPrice),
    discount: !discount
      ? '—'
      : discount.kind === 'percent'
        ? t('lineItems.percent', { value: fmt.number(discount.value) })
        : fmt.money(discount.value),
    vat: d.vatRate ? t(`lineItems.vat.${d.vatRate}`) : '—',
  };
}

function LineName({ draft: d }: { draft: Draft }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
        {d.name}
      </Text>
      {(d.sku || d.productDeleted) && (
        <Text size="xs" c={d.productDeleted ? 'red' : 'dimmed'}>
          {[d.sku, d.productDeleted ? t('lineItems.productDeleted') : null]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      )}
    </Stack>
  );
}

function LinesTable({
  drafts,
  editable,
  lineProps,
}: {
  drafts: Draft[];
  editable: boolean;
  lineProps: (d: Draft, index: number) => LineProps;
}) {
  const { t } = useTranslation();
  const right = { ta: 'right' as const };
  return (
    <Table.ScrollContainer minWidth={editable ? 940 : 720}>
      <Table verticalSpacing="xs" horizontalSpacing="xs" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={32}>#</Table.Th>
            <Table.Th>{t('lineItems.productAndName')}</Table.Th>
            <Table.Th w={80} {...right}>
              {t('lineItems.quantity')}
            </Table.Th>
            <Table.Th w={80}>{t('lineItems.unit')}</Table.Th>
            <Table.Th w={120} {...right}>
              {t('lineItems.unitPrice')}
            </Table.Th>
            <Table.Th w={editable ? 120 : 100} {...right}>
              {t('lineItems.discount')}
            </Table.Th>
            <Table.Th w={editable ? 110 : 120}>{t('lineItems.vatRate')}</Table.Th>
            <Table.Th w={120} {...right}>
              {t('lineItems.amount')}
            </Table.Th>
            {editable && (
              <Table.Th w={76}>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {drafts.map((d, i) =>
            editable ? (
              <EditableRow key={d.key} {...lineProps(d, i)} />
            ) : (
              <ReadOnlyRow key={d.key} draft={d} index={i} />
            ),
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EditableRow(props: LineProps) {
  const inputs = useLineInputs(props);
  const top = { style: { verticalAlign: 'top' } };
  return (
    <Table.Tr>
      <Table.Td {...top} pt={14}>
        <Text size="sm" c="dimmed">
          {props.index + 1}
        </Text>
      </Table.Td>
      <Table.Td {...top}>
        <Stack gap={4}>
          {inputs.product()}
          {inputs.name()}
        </Stack>
      </Table.Td>
      <Table.Td {...top}>{inputs.quantity()}</Table.Td>
      <Table.Td {...top}>{inputs.unit()}</Table.Td>
      <Table.Td {...top}>{inputs.unitPrice()}</Table.Td>
      <Table.Td {...top}>{inputs.discount()}</Table.Td>
      <Table.Td {...top}>{inputs.vat()}</Table.Td>
      <Table.Td {...top} pt={14} ta="right">
        <LineAmount draft={props.draft} />
      </Table.Td>
      <Table.Td {...top} pt={8}>
        <LineButtons {...props} />
      </Table.Td>
    </Table.Tr>
  );
}

function ReadOnlyRow({ draft: d, index }: { draft: Draft; index: number }) {
  const text = useLineText(d);
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {index + 1}
        </Text>
      </Table.Td>
      <Table.Td>
        <LineName draft={d} />
      </Table.Td>
      <Table.Td ta="right">{text.quantity}</Table.Td>
      <Table.Td>{d.unit}</Table.Td>
      <Table.Td ta="right">{text.unitPrice}</Table.Td>
      <Table.Td ta="right">{text.discount}</Table.Td>
      <Table.Td>{text.vat}</Table.Td>
      <Table.Td ta="right">
        <LineAmount draft={d} />
        <LineMargin draft={d} />
      </Table.Td>
    </Table.Tr>
  );
}

/** A saved line's margin under its amount (roles that may see cost prices). */
function LineMargin({ draft }: { draft: Draft }) {
  const fmt = useFormat();
  const { t } = useTranslation();
  if (draft.margin === undefined) return null;
  if (draft.margin === null) {
    return (
      <Text size="xs" c="dimmed" ta="right">
        {t('lineItems.margin.noCost')}
      </Text>
    );
  }
  const { value, percent } = draft.margin;
  return (
    <Text size="xs" c={value < 0 ? 'red' : 'dimmed'} ta="right" style={{ whiteSpace: 'nowrap' }}>
      {percent === null
        ? t('lineItems.margin.line', { amount: fmt.money(value) })
        : t('lineItems.margin.linePercent', {
            amount: fmt.money(value),
            percent: fmt.number(percent),
          })}
    </Text>
  );
}

/** A line on a phone: the same inputs, labelled, in a card. */
function LineCard(props: LineProps) {
  const { t } = useTranslation();
  const { draft: d, index, editable } = props;
  const inputs = useLineInputs(props);
  const text = useLineText(d);
  const n = index + 1;
  if (!editable) {
    return (
      <Card
        withBorder
        radius="sm"
        padding="sm"
        component="article"
        aria-label={t('lineItems.line', { n })}
      >
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <LineName draft={d} />
          <Stack gap={0} align="flex-end">
            <LineAmount draft={d} />
            <LineMargin draft={d} />
          </Stack>
        </Group>
        <Text size="sm" c="dimmed">
          {[
            `${text.quantity} ${d.unit} × ${text.unitPrice}`,
            text.discount !== '—' ? t('lineItems.discountShort', { value: text.discount }) : null,
            t('lineItems.vatShort', { value: text.vat }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </Card>
    );
  }
  return (
    <Card
      withBorder
      radius="sm"
      padding="sm"
      component="article"
      aria-label={t('lineItems.line', { n })}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            {t('lineItems.line', { n })}
          </Text>
          <LineButtons {...props} />
        </Group>
        {inputs.product(t('lineItems.product'))}
        {inputs.name(t('lineItems.name'))}
        <SimpleGrid cols={2} spacing="xs">
          {inputs.quantity(t('lineItems.quantity'))}
          {inputs.unit(t('lineItems.unitLong'))}
          {inputs.unitPrice(t('lineItems.unitPrice'))}
          {inputs.discount(t('lineItems.discount'))}
        </SimpleGrid>
        {inputs.vat(t('lineItems.vatRate'))}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('lineItems.amount')}
          </Text>
          <LineAmount draft={d} />
        </Group>
      </Stack>
    </Card>
  );
}

/** Cộng tiền hàng, Chiết khấu, Thuế GTGT per rate, Tổng cộng and the total in words. */
function TotalsBlock({ totals, pending }: { totals: LineItemsTotals | null; pending: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const labelId = useId();
  if (!totals) {
    return (
      <Text size="sm" c="dimmed" ta="right">
        {t('lineItems.totalsAfterSave')}
      </Text>
    );
  }
  const row = (label: string, value: string, strong = false) => (
    <Group key={label} justify="space-between" wrap="nowrap" gap="md">
      <Text size="sm" fw={strong ? 700 : undefined} component="dt">
        {label}
      </Text>
      <Text
        size={strong ? 'md' : 'sm'}
        fw={strong ? 700 : 500}
        component="dd"
        m={0}
        style={{ whiteSpace: 'nowrap' }}
      >
        {value}
      </Text>
    </Group>
  );
  return (
    <Stack gap={4} ml="auto" w="100%" maw={420} aria-labelledby={labelId} component="section">
      <VisuallyHidden id={labelId}>{t('lineItems.totals.title')}</VisuallyHidden>
      <Stack gap={4} component="dl" m={0}>
        {row(t('lineItems.totals.subtotal'), fmt.money(totals.subtotal))}
        {totals.discountTotal > 0 &&
          row(t('lineItems.totals.discount'), `−${fmt.money(totals.discountTotal)}`)}
        {totals.vatLines
          .filter((v) => v.rate !== 'none')
          .map((v) => row(t('lineItems.totals.vatLine', { rate: v.rate }), fmt.money(v.vat)))}
        {row(t('lineItems.totals.total'), fmt.money(totals.total), true)}
        {!pending && totals.margin && (
          <>
            {row(t('lineItems.margin.cost'), fmt.money(totals.margin.cost))}
            {row(
              t('lineItems.margin.total'),
              totals.margin.percent === null
                ? fmt.money(totals.margin.margin)
                : `${fmt.money(totals.margin.margin)} (${fmt.number(totals.margin.percent)} %)`,
            )}
          </>
        )}
      </Stack>
      {!pending && totals.margin && totals.margin.linesWithoutCost > 0 && (
        <Text size="xs" c="dimmed" ta="right">
          {t('lineItems.margin.without', { count: totals.margin.linesWithoutCost })}
        </Text>
      )}
      <Text size="sm" fs="italic" ta="right">
        {t('lineItems.totals.inWords', { words: totals.totalInWords })}
      </Text>
      {pending && (
        <Text size="xs" c="dimmed" ta="right">
          {t('lineItems.totals.preview')}
        </Text>
      )}
    </Stack>
  );
}
