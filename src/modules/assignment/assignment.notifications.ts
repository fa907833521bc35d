import { inText, registerNotificationKind } from '../notifications/kinds.js';

/** Why a rule's records went to the fallback owner (assignment_fallback's `reason`). */
export type FallbackReason = 'user_inactive' | 'team_empty' | 'team_missing';

/** "Bạn được giao khách hàng tiềm năng Nguyễn Văn A" — the new owner of an assigned record. */
export const recordAssigned = registerNotificationKind({
  key: 'record_assigned',
  render: ({ record, params, locale }) => {
    const what = inText(record?.objectLabel ?? null, locale);
    const name = record?.name ?? '';
    const rule = typeof params.ruleName === 'string' ? params.ruleName : null;
    if (locale === 'en') {
      return `You were assigned the ${what} ${name}${rule ? ` (rule "${rule}")` : ''}`.trim();
    }
    return `Bạn được giao ${what} ${name}${rule ? ` (quy tắc "${rule}")` : ''}`.trim();
  },
});

const reasons: Record<FallbackReason, { vi: string; en: string }> = {
  user_inactive: { vi: 'người được giao đã bị vô hiệu hoá', en: 'its user is deactivated' },
  team_empty: {
    vi: 'nhóm không còn thành viên nào đang hoạt động',
    en: 'its team has no active member',
  },
  team_missing: { vi: 'nhóm đã bị xoá', en: 'its team was deleted' },
};

/**
 * To the admins: a rule could not place records (its user deactivated, its team empty or gone),
 * so the fallback owner took them (or, with no usable fallback, they kept their owner).
 */
export const assignmentFallback = registerNotificationKind({
  key: 'assignment_fallback',
  render: ({ record, params, locale }) => {
    const rule = String(params.ruleName ?? '');
    const reason = reasons[params.reason as FallbackReason] ?? reasons.user_inactive;
    const count = Number(params.count ?? 1);
    const fallback = typeof params.fallbackName === 'string' ? params.fallbackName : null;
    const what = inText(record?.objectLabel ?? null, locale);
    const first = record?.name ?? '';
    if (locale === 'en') {
      const whom = fallback
        ? `went to the fallback owner ${fallback}`
        : 'kept their owner (no usable fallback owner)';
      const items = count === 1 ? `The ${what} ${first}` : `${count} records (first: ${first})`;
      return `Assignment rule "${rule}" could not assign: ${reason.en}. ${items} ${whom}.`;
    }
    const whom = fallback
      ? `đã giao cho người nhận dự phòng ${fallback}`
      : 'giữ nguyên người phụ trách (chưa có người nhận dự phòng dùng được)';
    const items =
      count === 1
        ? `${what.charAt(0).toUpperCase()}${what.slice(1)} ${first}`
        : `${count} bản ghi (đầu tiên: ${first})`;
    return `Quy tắc phân công "${rule}" không giao được: ${reason.vi}. ${items} ${whom}.`;
  },
});
