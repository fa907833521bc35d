import type { LocalisedText } from '../../core/errors.js';
import type { FilterNode } from './filters.js';
import type { FieldDef } from './fields.js';

/**
 * A filter tree in words, for a person reading a rule: "Nguồn: Facebook", "Tỉnh/Thành phố: Hà
 * Nội, Hải Phòng", "Điểm > 10 và Nguồn: Zalo". Field and option names in the reader's language
 * (the object's fields, the workspace's option lists, through `resolve`).
 */
const opWords: Record<string, LocalisedText> = {
  is_not: { vi: 'khác', en: 'is not' },
  not_in: { vi: 'không thuộc', en: 'is not one of' },
  contains: { vi: 'chứa', en: 'contains' },
  not_contains: { vi: 'không chứa', en: 'does not contain' },
  is_empty: { vi: 'trống', en: 'is empty' },
  is_not_empty: { vi: 'có giá trị', en: 'is not empty' },
  gt: { vi: '>', en: '>' },
  gte: { vi: '≥', en: '≥' },
  lt: { vi: '<', en: '<' },
  lte: { vi: '≤', en: '≤' },
  between: { vi: 'trong khoảng', en: 'between' },
  before: { vi: 'trước', en: 'before' },
  after: { vi: 'sau', en: 'after' },
};

export function describeFilter(
  node: FilterNode,
  resolve: (key: string) => FieldDef | undefined,
  lang: 'vi' | 'en',
): string {
  if (!('field' in node)) {
    const list = 'and' in node ? node.and : node.or;
    const word =
      'and' in node ? (lang === 'vi' ? ' và ' : ' and ') : lang === 'vi' ? ' hoặc ' : ' or ';
    return list
      .map((c) => {
        const d = describeFilter(c, resolve, lang);
        return 'field' in c || list.length === 1 ? d : `(${d})`;
      })
      .join(word);
  }
  const field = resolve(node.field);
  const name = field?.label[lang] ?? node.field;
  const values = (Array.isArray(node.value) ? node.value : [node.value])
    .filter((v) => v !== undefined && v !== null)
    .map((v) => {
      const option = field?.options?.find((o) => o.key === v);
      return option ? option.label[lang] : String(v);
    });
  const shown = node.op === 'between' ? values.join(' – ') : values.join(', ');
  if (node.op === 'is' || node.op === 'in') return `${name}: ${shown}`;
  const op = opWords[node.op]?.[lang] ?? node.op;
  return node.op === 'is_empty' || node.op === 'is_not_empty'
    ? `${name} ${op}`
    : `${name} ${op} ${shown}`;
}

/** Both languages at once. */
export function filterText(
  node: FilterNode,
  resolve: (key: string) => FieldDef | undefined,
): LocalisedText {
  return { vi: describeFilter(node, resolve, 'vi'), en: describeFilter(node, resolve, 'en') };
}
