/**
 * Reading, showing and writing record values by field metadata. Values are always rendered as
 * text (React escapes them); only note HTML, sanitised by the server, is ever set as HTML.
 */
import { Anchor, Badge, Group, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import {
  fieldChoices,
  primaryOf,
  type Address,
  type AnyRecord,
  type Choice,
  type ContactCompanyLink,
  type FieldMeta,
  type RecordInput,
  type UserRef,
} from '../../api/records';
import type { useFormat } from '../../lib/format';

type Fmt = ReturnType<typeof useFormat>;

/** A select field's options, from the field metadata (the workspace's list for option lists). */
export function choicesOf(_t: TFunction, field: FieldMeta, lang: string): Choice[] {
  return fieldChoices(field, lang);
}

/**
 * The options a user may pick: an archived option (option lists) is kept on the records that
 * have it but never offered, except as the value already chosen.
 */
export function offeredChoices(
  t: TFunction,
  field: FieldMeta,
  lang: string,
  current: unknown,
): Choice[] {
  const chosen = new Set(Array.isArray(current) ? current.map(String) : [String(current)]);
  return choicesOf(t, field, lang).filter((c) => !c.archived || chosen.has(c.value));
}

export function choiceLabel(t: TFunction, field: FieldMeta, value: string, lang: string): string {
  return choicesOf(t, field, lang).find((c) => c.value === value)?.label ?? value;
}

/** `+84912345678` → `0912 345 678`; landlines `024 3825 1234`; anything else unchanged. */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^\+84(\d{9,10})$/.exec(value);
  if (!m) return value;
  const national = `0${m[1]}`;
  if (national.length === 10) {
    return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  }
  return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
}

export function phoneText(p: { value: string; national?: string } | undefined): string {
  if (!p) return '';
  return p.national || formatPhone(p.value);
}

/** The value behind a field key; `custom.x` reads the custom values. */
export function rawValue(record: AnyRecord, key: string): unknown {
  if (key.startsWith('custom.')) return record.custom?.[key.slice(7)];
  return (record as unknown as Record<string, unknown>)[key];
}

/** The PATCH body that sets one field (custom values are sent merged with the others). */
export function inputFor(record: AnyRecord, key: string, value: unknown): RecordInput {
  if (key.startsWith('custom.')) return { custom: { ...record.custom, [key.slice(7)]: value } };
  return { [key]: value };
}

/** Plain text of a field's value, for cells, cards and the kanban. */
export function displayText(t: TFunction, fmt: Fmt, field: FieldMeta, record: AnyRecord): string {
  const key = field.key;
  // A link field `xId` is presented as `x: { id, name }` (a deal's company, a company's parent).
  if (field.type === 'link' && !key.startsWith('custom.') && key.endsWith('Id')) {
    return (record[key.slice(0, -2)] as UserRef | null | undefined)?.name ?? '';
  }
  switch (key) {
    case 'primaryPhone':
    case 'phones':
      return phoneText(primaryOf(record.phones));
    case 'primaryEmail':
    case 'emails':
      return primaryOf(record.emails)?.value ?? '';
    case 'ownerId':
    case 'owner':
      return record.owner?.name ?? '';
    case 'provinceCode':
      return (
        primaryOf(record.addresses)?.provinceName ?? primaryOf(record.addresses)?.provinceCode ?? ''
      );
    case 'wardCode':
      return primaryOf(record.addresses)?.wardName ?? primaryOf(record.addresses)?.wardCode ?? '';
    case 'addresses':
      return addressText(primaryOf(record.addresses));
    case 'companies':
      return Array.isArray(record.companies)
        ? (record.companies as ContactCompanyLink[]).map((c) => c.name).join(', ')
        : '';
  }
  return valueText(t, fmt, field, rawValue(record, key));
}

/**
 * Where a link field's value leads (its record's page), when the record presents the linked
 * record (`companyId` → `company: { id, name }`, only when the caller may see it).
 */
export function linkTarget(field: FieldMeta, record: AnyRecord): string | null {
  const key = field.key;
  if (field.type !== 'link' || !field.target || key.startsWith('custom.') || !key.endsWith('Id')) {
    return null;
  }
  const linked = record[key.slice(0, -2)] as { id?: unknown } | null | undefined;
  return typeof linked?.id === 'string'
    ? `/${field.target}/${encodeURIComponent(linked.id)}`
    : null;
}

export function valueText(t: TFunction, fmt: Fmt, field: FieldMeta, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? fmt.number(value) : String(value);
    case 'money':
      return typeof value === 'number' ? fmt.money(value) : String(value);
    case 'date':
      return typeof value === 'string' ? fmt.date(`${value.slice(0, 10)}T00:00:00`) : '';
    case 'datetime':
      return typeof value === 'string' ? fmt.dateTime(value) : '';
    case 'boolean':
      return value ? t('common.yes') : t('common.no');
    case 'select':
      return choiceLabel(t, field, String(value), fmt.lang);
    case 'multi_select':
    case 'tags':
      return Array.isArray(value)
        ? value.map((v) => choiceLabel(t, field, String(v), fmt.lang)).join(', ')
        : String(value);
    case 'phone':
      return formatPhone(String(value));
    default:
      return typeof value === 'object' ? namesText(value) : String(value);
  }
}

/**
 * A list of linked records kept as a json array of objects with a `name` (a deal's contacts:
 * `{ contactId, name, role, isPrimary }`): their names, joined; any other object: nothing.
 */
function namesText(value: object): string {
  if (!Array.isArray(value)) return '';
  return value
    .map((item: unknown) =>
      item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
        ? (item as { name: string }).name
        : '',
    )
    .filter(Boolean)
    .join(', ');
}

export function addressText(a: Address | undefined): string {
  if (!a) return '';
  if (a.text) return a.text;
  return [a.street, a.wardName ?? a.wardCode, a.provinceName ?? a.provinceCode]
    .filter(Boolean)
    .join(', ');
}

/** A cell's content: tags as badges, links as links, everything else as text. */
export function FieldValue({
  t,
  fmt,
  field,
  record,
}: {
  t: TFunction;
  fmt: Fmt;
  field: FieldMeta;
  record: AnyRecord;
}) {
  const value = rawValue(record, field.key);
  if ((field.type === 'tags' || field.type === 'multi_select') && Array.isArray(value)) {
    if (value.length === 0) return null;
    return (
      <Group gap={4} wrap="nowrap" style={{ overflow: 'hidden' }}>
        {value.map((v) => (
          <Badge key={String(v)} variant="light" size="sm" style={{ flexShrink: 0 }}>
            {choiceLabel(t, field, String(v), fmt.lang)}
          </Badge>
        ))}
      </Group>
    );
  }
  // A choice with a colour (the workspace's option lists: stages…) shows as a badge of it.
  const choice =
    field.type === 'select' && typeof value === 'string'
      ? choicesOf(t, field, fmt.lang).find((c) => c.value === value)
      : undefined;
  if (choice?.color) {
    return (
      <Badge variant="light" color={choice.color} size="sm">
        {choice.label}
      </Badge>
    );
  }
  const text = displayText(t, fmt, field, record);
  const to = text ? linkTarget(field, record) : null;
  if (to) {
    return (
      <Anchor component={Link} to={to} size="sm" truncate>
        {text}
      </Anchor>
    );
  }
  if (field.type === 'url' && text && /^https?:\/\//i.test(text)) {
    return (
      <Anchor href={text} target="_blank" rel="noopener noreferrer" size="sm" truncate>
        {text}
      </Anchor>
    );
  }
  return (
    <Text size="sm" truncate>
      {text}
    </Text>
  );
}

/** Fields that can be edited in a table cell: plain text and single selects. */
export function isInlineEditable(field: FieldMeta): boolean {
  if (field.readOnly) return false;
  if (
    [
      'phones',
      'emails',
      'addresses',
      'primaryPhone',
      'primaryEmail',
      'provinceCode',
      'wardCode',
    ].includes(field.key)
  ) {
    return false;
  }
  return ['text', 'url', 'email', 'select'].includes(field.type);
}
