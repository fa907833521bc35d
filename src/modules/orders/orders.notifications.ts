import { registerNotificationKind } from '../notifications/kinds.js';

const dmy = (iso: unknown) => {
  const [y, m, d] = String(iso ?? '').split('-');
  return d && m && y ? `${d}/${m}/${y}` : String(iso ?? '');
};

/** To the owner: "Hợp đồng DH-2026-0003 đến hạn gia hạn ngày 31/12/2026". */
registerNotificationKind({
  key: 'order_renewal_due',
  render: ({ record, params, locale }) => {
    const name = record?.name ?? '';
    if (locale === 'en') return `${name} is due for renewal on ${dmy(params.renewalDate)}`;
    return `${name} đến hạn gia hạn ngày ${dmy(params.renewalDate)}`;
  },
});
