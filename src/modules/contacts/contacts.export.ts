import { phoneKind } from '../../lib/vn/phone.js';
import { foldForSearch } from '../../lib/vn/names.js';
import type { ExportDeclaration } from '../records/define.js';
import {
  vcard,
  vcardList,
  vcardStructured,
  vcardText,
  type VcardProperty,
} from '../records/vcard.js';
import type { ContactResponse } from './contacts.schemas.js';

/**
 * A contact as a vCard 4.0 card (GET /contacts/export?format=vcf): name (FN, N as family;
 * given; middle), phones and emails typed from their labels, the primary company (ORG) and the
 * job title there (TITLE), addresses (ADR: street; ward; province; country), birthday, gender,
 * tags (CATEGORIES), the record's id (UID) and last change (REV). Only what the caller sees:
 * the card is made from the presented record, whose companies are the ones in their scope.
 */

/** A label's vCard TYPE: Vietnamese and English words people give their numbers. */
function typeOfLabel(label: string | null): 'cell' | 'work' | 'home' | 'fax' | undefined {
  const l = foldForSearch(label ?? '');
  if (!l) return undefined;
  if (/\bfax\b/.test(l)) return 'fax';
  if (/di dong|\bdd\b|\bdtdd\b|mobile|\bcell|zalo|ca nhan/.test(l)) return 'cell';
  if (/cong ty|co quan|van phong|cong viec|\bwork|office|business/.test(l)) return 'work';
  if (/\bnha\b|nha rieng|\bhome|rieng/.test(l)) return 'home';
  return undefined;
}

const COUNTRY_NAMES: Record<string, string> = { VN: 'Việt Nam' };

function contactCard(c: ContactResponse): string {
  const props: VcardProperty[] = [];
  // FN is required: a contact without a name is named by its email or phone.
  const fn =
    c.displayName ||
    [c.familyName, c.middleName, c.givenName].filter(Boolean).join(' ') ||
    c.primaryEmail ||
    (c.primaryPhone ?? '-');
  props.push({ name: 'UID', value: `urn:uuid:${c.id}` });
  props.push({ name: 'FN', value: vcardText(fn) });
  props.push({
    name: 'N',
    value: vcardStructured([c.familyName, c.givenName, c.middleName, '', '']),
  });
  for (const p of c.phones) {
    const e164 = /^\+\d{6,15}$/.test(p.value);
    const kind = e164 ? phoneKind(p.value) : 'foreign';
    const type = typeOfLabel(p.label) ?? (kind === 'mobile' ? 'cell' : 'voice');
    props.push({
      name: 'TEL',
      params: {
        ...(e164 ? { VALUE: 'uri' } : {}),
        TYPE: type,
        PREF: p.primary ? '1' : undefined,
      },
      value: e164 ? `tel:${p.value}` : vcardText(p.value),
    });
  }
  for (const e of c.emails) {
    const type = typeOfLabel(e.label);
    props.push({
      name: 'EMAIL',
      params: {
        TYPE: type === 'work' || type === 'home' ? type : undefined,
        PREF: e.primary ? '1' : undefined,
      },
      value: vcardText(e.value),
    });
  }
  const company = c.companies.find((co) => co.isPrimary) ?? c.companies[0];
  if (company) {
    props.push({ name: 'ORG', value: vcardStructured([company.name]) });
    if (company.jobTitle) props.push({ name: 'TITLE', value: vcardText(company.jobTitle) });
  }
  for (const a of c.addresses) {
    const type = typeOfLabel(a.label);
    const structured = a.street || a.wardName || a.provinceName;
    props.push({
      name: 'ADR',
      params: {
        TYPE: type === 'work' || type === 'home' ? type : undefined,
        PREF: a.primary ? '1' : undefined,
      },
      // post office box; extended address; street; locality (ward); region (province);
      // postal code; country
      value: structured
        ? vcardStructured([
            '',
            '',
            a.street,
            a.wardName,
            a.provinceName,
            '',
            COUNTRY_NAMES[a.countryCode] ?? a.countryCode,
          ])
        : vcardStructured(['', '', a.text, '', '', '', '']),
    });
  }
  if (c.birthday) props.push({ name: 'BDAY', value: c.birthday.replaceAll('-', '') });
  if (c.gender) {
    props.push({
      name: 'GENDER',
      value: c.gender === 'male' ? 'M' : c.gender === 'female' ? 'F' : 'O',
    });
  }
  if (c.tags.length > 0) props.push({ name: 'CATEGORIES', value: vcardList(c.tags) });
  props.push({
    name: 'REV',
    value: c.updatedAt.replace(/[-:]/g, '').replace(/\.\d+/, ''),
  });
  return vcard(props);
}

export const contactsExport: ExportDeclaration = {
  vcard: (record) => contactCard(record as unknown as ContactResponse),
};
