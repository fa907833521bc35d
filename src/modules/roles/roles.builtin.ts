import type { BuiltinRoleKey } from '../../core/permissions.js';
import type { Locale } from '../../core/errors.js';

/** Built-in roles, created in every new workspace (names in the workspace's language). */
export const builtinRoles: Record<
  BuiltinRoleKey,
  { isAdmin: boolean; name: Record<Locale, string>; description: Record<Locale, string> }
> = {
  admin: {
    isAdmin: true,
    name: { vi: 'Quản trị viên', en: 'Admin' },
    description: { vi: 'Toàn quyền, kể cả cài đặt.', en: 'Full access, including settings.' },
  },
  manager: {
    isAdmin: false,
    name: { vi: 'Quản lý', en: 'Manager' },
    description: {
      vi: 'Xem và sửa mọi bản ghi, quản lý nhóm.',
      en: 'Sees and edits every record, manages teams.',
    },
  },
  sales: {
    isAdmin: false,
    name: { vi: 'Kinh doanh', en: 'Sales' },
    description: {
      vi: 'Làm việc với khách hàng và cơ hội của mình.',
      en: 'Works on their own customers and deals.',
    },
  },
  marketing: {
    isAdmin: false,
    name: { vi: 'Marketing', en: 'Marketing' },
    description: {
      vi: 'Chiến dịch, phân khúc và khách hàng tiềm năng.',
      en: 'Campaigns, segments and leads.',
    },
  },
  support: {
    isAdmin: false,
    name: { vi: 'Chăm sóc khách hàng', en: 'Support' },
    description: {
      vi: 'Phiếu hỗ trợ và thông tin khách hàng.',
      en: 'Tickets and customer information.',
    },
  },
  viewer: {
    isAdmin: false,
    name: { vi: 'Chỉ xem', en: 'Viewer' },
    description: { vi: 'Chỉ xem, không sửa.', en: 'Read only.' },
  },
};
