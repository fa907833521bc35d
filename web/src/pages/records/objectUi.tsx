/**
 * The web side of record objects: everything comes from the server's declaration (GET
 * /objects: labels, presentation) and fields metadata, except React components an object
 * plugs in by key: inputs of the record form (`formInputs`, named by the declaration's
 * `presentation.form.inputs`), record page panels (`objectPanels`, named by
 * `presentation.panels`), header buttons (`objectActions`, `presentation.actions`) and notices
 * (`objectBanners`, `presentation.banners`). Every object has the same form (RecordForm.tsx).
 */
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/records';
import { DealContacts, DealPath } from './DealPanels';
import { employerInput } from './EmployerInput';
import { ConvertLeadAction, LeadConvertedBanner } from './LeadConversion';
import { InvoiceActions } from './InvoiceActions';
import { LineItemsPanel } from './LineItemsPanel';
import { OrderActions, OrderDeliveries } from './OrderActions';
import { QuoteActions } from './QuoteActions';
import { addressInput, emailsInput, phonesInput, type FormInput } from './formInputs';
import { personNameInput } from './NameInput';
import { PaymentActions } from './PaymentActions';
import { assignableOwnerInput } from './OwnerInput';
import { ActivityLinksPanel } from '../activities/ActivityLinksPanel';
import { CompanyContacts, ContactCompanies, LeadScore, type PanelProps } from './panels';

export { RecordFormModal as ObjectFormModal } from './RecordForm';

/** Inputs of the record form, by the name a declaration gives them (`form.inputs`). */
export const formInputs: Record<string, FormInput> = {
  personName: personNameInput,
  phones: phonesInput,
  emails: emailsInput,
  address: addressInput,
  employer: employerInput,
  assignableOwner: assignableOwnerInput,
};

export const objectPanels: Record<string, ComponentType<PanelProps>> = {
  contactCompanies: ContactCompanies,
  companyContacts: CompanyContacts,
  leadScore: LeadScore,
  dealPath: DealPath,
  dealContacts: DealContacts,
  lineItems: LineItemsPanel,
  orderDeliveries: OrderDeliveries,
  activityLinks: ActivityLinksPanel,
};

/** Panels shown across the page's width, above the fields and the timeline (a document's lines). */
export const widePanels: ReadonlySet<string> = new Set(['lineItems']);

/** Buttons of the record page's header, by the key a declaration names (`presentation.actions`). */
export const objectActions: Record<string, ComponentType<PanelProps>> = {
  convertLead: ConvertLeadAction,
  quoteActions: QuoteActions,
  orderActions: OrderActions,
  invoiceActions: InvoiceActions,
  paymentActions: PaymentActions,
};

/** Notices under the record page's header (`presentation.banners`). */
export const objectBanners: Record<string, ComponentType<PanelProps>> = {
  leadConverted: LeadConvertedBanner,
};

/** An object's words in the UI language: "Thêm sản phẩm", "Đã tạo công ty …". */
export function useObjectText(meta: ObjectMeta) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const one = meta.label.one[lang].toLocaleLowerCase(lang);
  const many = meta.label.many[lang].toLocaleLowerCase(lang);
  return {
    title: meta.label.many[lang],
    one,
    newLabel: t('records.object.new', { one }),
    create: t('records.object.create', { one }),
    edit: t('records.object.edit', { one }),
    deleteTitle: t('records.object.deleteTitle', { one }),
    created: (name: string) => t('records.object.created', { one, name }),
    count: (count: number, n: string) => t('records.object.count', { count, n, one, many }),
  };
}
