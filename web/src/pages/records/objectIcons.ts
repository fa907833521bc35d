import {
  IconAddressBook,
  IconBox,
  IconBriefcase,
  IconChecklist,
  IconBuildingSkyscraper,
  IconCash,
  IconDatabase,
  IconFileDollar,
  IconFileInvoice,
  IconPackage,
  IconReceipt,
  IconTarget,
  type Icon,
} from '@tabler/icons-react';
import type { ObjectMeta } from '../../api/records';

/**
 * A record object's icon, by its declaration's `presentation.icon`. Its own module, away from
 * objectUi.tsx: the navigation (AppLayout) needs the icons on every page, not the record forms.
 */
const icons: Record<string, Icon> = {
  users: IconAddressBook,
  building: IconBuildingSkyscraper,
  package: IconPackage,
  box: IconBox,
  target: IconTarget,
  briefcase: IconBriefcase,
  'file-invoice': IconFileInvoice,
  receipt: IconReceipt,
  'file-dollar': IconFileDollar,
  cash: IconCash,
  checklist: IconChecklist,
};

export const objectIcon = (meta: ObjectMeta): Icon => icons[meta.presentation.icon] ?? IconDatabase;
