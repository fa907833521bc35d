/**
 * The web side of record objects: everything comes from the server's declaration (GET
 * /objects: labels, presentation) and fields metadata, except React components an object
 * plugs in by key: a form of its own (`objectForms`, else the generic form) and record page
 * panels (`objectPanels`, named by the declaration's `presentation.panels`).
 */
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/records';
import { GenericRecordFormModal, type RecordFormModalProps } from './GenericForm';
import { CompanyContacts, ContactCompanies, type PanelProps } from './panels';
import { RecordFormModal } from './RecordForm';

/** The customer records' form (name splitting, phones, addresses, the employer). */
function CustomerFormModal({ meta, ...props }: RecordFormModalProps) {
  return <RecordFormModal object={meta.key} {...props} />;
}

export const objectForms: Record<string, ComponentType<RecordFormModalProps>> = {
  contacts: CustomerFormModal,
  companies: CustomerFormModal,
};

export function ObjectFormModal(props: RecordFormModalProps) {
  const Form = objectForms[props.meta.key] ?? GenericRecordFormModal;
  return <Form {...props} />;
}

export const objectPanels: Record<string, ComponentType<PanelProps>> = {
  contactCompanies: ContactCompanies,
  companyContacts: CompanyContacts,
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
