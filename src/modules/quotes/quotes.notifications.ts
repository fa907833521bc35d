import { registerNotificationKind } from '../notifications/kinds.js';

const pct = (v: unknown) => String(Number(v ?? 0)).replace('.', ',');
const withComment = (v: unknown, lead: string) =>
  typeof v === 'string' && v.trim() ? `${lead}"${v.trim()}"` : '';

/** To the approvers: "Trần Minh xin duyệt chiết khấu 15 % cho báo giá BG-2026-0001". */
registerNotificationKind({
  key: 'quote_approval_requested',
  render: ({ record, params, actorName, locale }) => {
    const who = actorName ?? '';
    const name = record?.name ?? '';
    if (locale === 'en') {
      return `${who} asks you to approve a ${pct(params.discountPercent)} % discount on quote ${name}${withComment(params.comment, ': ')}`.trim();
    }
    return `${who} xin duyệt chiết khấu ${pct(params.discountPercent)} % cho báo giá ${name}${withComment(params.comment, ': ')}`.trim();
  },
});

registerNotificationKind({
  key: 'quote_approved',
  render: ({ record, params, actorName, locale }) => {
    const name = record?.name ?? '';
    if (locale === 'en') {
      return `${actorName ?? 'A manager'} approved the ${pct(params.discountPercent)} % discount on quote ${name}${withComment(params.comment, ': ')}`;
    }
    return `${actorName ?? 'Quản lý'} đã duyệt chiết khấu ${pct(params.discountPercent)} % cho báo giá ${name}${withComment(params.comment, ': ')}`;
  },
});

registerNotificationKind({
  key: 'quote_approval_rejected',
  render: ({ record, params, actorName, locale }) => {
    const name = record?.name ?? '';
    if (locale === 'en') {
      return `${actorName ?? 'A manager'} did not approve the discount on quote ${name}${withComment(params.comment, ': ')}`;
    }
    return `${actorName ?? 'Quản lý'} không duyệt chiết khấu cho báo giá ${name}${withComment(params.comment, ': ')}`;
  },
});
