import {
  IconHistory,
  IconKey,
  IconShieldLock,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
  IconBuilding,
  IconForms,
  IconListDetails,
  IconArrowsSplit2,
  IconGauge,
  IconLayoutKanban,
  IconCurrencyDong,
  IconClipboardList,
  IconBuildingBank,
  IconNumbers,
  IconDiscount,
  type Icon,
} from '@tabler/icons-react';
import { can } from '../api/session';
import type { Action, Session } from '../api/types';

export interface SettingsSection {
  path: string;
  labelKey: string;
  icon: Icon;
  /** Permission needed to see the section; none = every signed-in user. */
  needs?: [object: string, action: Action];
}

export const settingsSections: SettingsSection[] = [
  { path: '/settings/profile', labelKey: 'settings.profile.title', icon: IconUserCircle },
  {
    path: '/settings/workspace',
    labelKey: 'settings.workspace.title',
    icon: IconBuilding,
    needs: ['workspace', 'read'],
  },
  {
    path: '/settings/users',
    labelKey: 'settings.users.title',
    icon: IconUsers,
    needs: ['members', 'read'],
  },
  {
    path: '/settings/teams',
    labelKey: 'settings.teams.title',
    icon: IconUsersGroup,
    needs: ['teams', 'read'],
  },
  {
    path: '/settings/roles',
    labelKey: 'settings.roles.title',
    icon: IconShieldLock,
    needs: ['roles', 'read'],
  },
  {
    path: '/settings/custom-fields',
    labelKey: 'settings.customFields.title',
    icon: IconForms,
    needs: ['custom_fields', 'update'],
  },
  {
    path: '/settings/option-lists',
    labelKey: 'settings.options.title',
    icon: IconListDetails,
    needs: ['custom_fields', 'update'],
  },
  {
    path: '/settings/assignment',
    labelKey: 'settings.assignment.title',
    icon: IconArrowsSplit2,
    needs: ['assignment_rules', 'update'],
  },
  {
    path: '/settings/scoring',
    labelKey: 'settings.scoring.title',
    icon: IconGauge,
    needs: ['scoring', 'update'],
  },
  {
    path: '/settings/lead-forms',
    labelKey: 'settings.leadForms.title',
    icon: IconClipboardList,
    needs: ['lead_forms', 'read'],
  },
  {
    path: '/settings/pipelines',
    labelKey: 'settings.pipelines.title',
    icon: IconLayoutKanban,
    needs: ['pipelines', 'update'],
  },
  {
    path: '/settings/price-lists',
    labelKey: 'settings.priceLists.title',
    icon: IconCurrencyDong,
    needs: ['price_lists', 'read'],
  },
  {
    path: '/settings/discount-limits',
    labelKey: 'settings.discountLimits.title',
    icon: IconDiscount,
    needs: ['roles', 'read'],
  },
  {
    path: '/settings/company-profile',
    labelKey: 'settings.companyProfile.title',
    icon: IconBuildingBank,
    needs: ['company_profile', 'update'],
  },
  {
    path: '/settings/numbering',
    labelKey: 'settings.numbering.title',
    icon: IconNumbers,
    needs: ['document_numbering', 'update'],
  },
  {
    path: '/settings/api-keys',
    labelKey: 'settings.apiKeys.title',
    icon: IconKey,
    needs: ['api_keys', 'read'],
  },
  {
    path: '/settings/audit-log',
    labelKey: 'settings.audit.title',
    icon: IconHistory,
    needs: ['audit_log', 'read'],
  },
];

export function visibleSettings(session: Session | null): SettingsSection[] {
  return settingsSections.filter((s) => !s.needs || can(session, s.needs[0], s.needs[1]));
}
