import { beforeAll, describe, expect, it } from 'vitest';
import { registerModules } from '../../src/modules/index.js';
import { recordObjectDefinition } from '../../src/modules/records/define.js';
import { detectHeader } from '../../src/modules/imports/source.js';
import { importTargets } from '../../src/modules/imports/targets-of.js';
import { suggestMapping } from '../../src/modules/imports/targets.js';

/**
 * Contacts exported from Google Contacts and Outlook (issue #18: "recognised by their headers
 * and mapped automatically"), and the Vietnamese headers of a hand-made sheet, with and without
 * diacritics: the suggested mapping, column by column. The headers are the exporters' own, in
 * their order (Google Contacts' CSV of 2024 and its older "Google CSV"; Outlook's "Comma
 * Separated Values").
 */
describe('suggested mapping', () => {
  let suggest: (headers: string[]) => Record<string, string | null>;
  beforeAll(() => {
    registerModules();
    const targets = importTargets(recordObjectDefinition('contacts')!, []);
    suggest = (headers) => {
      const mapping = suggestMapping(headers, targets);
      return Object.fromEntries(headers.map((h, i) => [h, mapping[i] ?? null]));
    };
  });

  it('Google Contacts CSV (2024)', () => {
    const m = suggest([
      'First Name',
      'Middle Name',
      'Last Name',
      'Phonetic First Name',
      'Phonetic Middle Name',
      'Phonetic Last Name',
      'Name Prefix',
      'Name Suffix',
      'Nickname',
      'File As',
      'Organization Name',
      'Organization Title',
      'Organization Department',
      'Birthday',
      'Notes',
      'Photo',
      'Labels',
      'E-mail 1 - Label',
      'E-mail 1 - Value',
      'E-mail 2 - Label',
      'E-mail 2 - Value',
      'Phone 1 - Label',
      'Phone 1 - Value',
      'Phone 2 - Label',
      'Phone 2 - Value',
      'Address 1 - Label',
      'Address 1 - Formatted',
      'Address 1 - Street',
      'Address 1 - City',
      'Address 1 - PO Box',
      'Address 1 - Region',
      'Address 1 - Postal Code',
      'Address 1 - Country',
      'Address 1 - Extended Address',
    ]);
    expect(m).toMatchObject({
      'First Name': 'givenName',
      'Middle Name': 'middleName',
      'Last Name': 'familyName',
      'Organization Name': 'company',
      'Organization Title': 'jobTitle',
      Birthday: 'birthday',
      'E-mail 1 - Value': 'emails',
      'E-mail 2 - Value': 'emails',
      'Phone 1 - Value': 'phones',
      'Phone 2 - Value': 'phones',
      'Address 1 - Formatted': 'address',
      // Labels ("Mobile", "Work") are not values.
      'E-mail 1 - Label': null,
      'Phone 1 - Label': null,
      'Phonetic First Name': null,
    });
  });

  it('the older Google CSV', () => {
    const m = suggest([
      'Name',
      'Given Name',
      'Additional Name',
      'Family Name',
      'Yomi Name',
      'Birthday',
      'Notes',
      'Group Membership',
      'E-mail 1 - Type',
      'E-mail 1 - Value',
      'Phone 1 - Type',
      'Phone 1 - Value',
      'Organization 1 - Type',
      'Organization 1 - Name',
      'Organization 1 - Title',
    ]);
    expect(m).toMatchObject({
      Name: 'fullName',
      'Given Name': 'givenName',
      'Family Name': 'familyName',
      Birthday: 'birthday',
      'E-mail 1 - Value': 'emails',
      'Phone 1 - Value': 'phones',
      'Organization 1 - Name': 'company',
      'Organization 1 - Title': 'jobTitle',
      'E-mail 1 - Type': null,
      'Phone 1 - Type': null,
    });
  });

  it('Outlook CSV', () => {
    const m = suggest([
      'First Name',
      'Middle Name',
      'Last Name',
      'Title',
      'Suffix',
      'Nickname',
      'Given Yomi',
      'Surname Yomi',
      'E-mail Address',
      'E-mail 2 Address',
      'E-mail 3 Address',
      'Home Phone',
      'Home Phone 2',
      'Business Phone',
      'Business Phone 2',
      'Mobile Phone',
      'Car Phone',
      'Other Phone',
      'Primary Phone',
      'Pager',
      'Business Fax',
      'Home Fax',
      'Other Fax',
      'Company Main Phone',
      'Callback',
      'Radio Phone',
      'Telex',
      'TTY/TDD Phone',
      'IMAddress',
      'Job Title',
      'Department',
      'Company',
      'Office Location',
      "Manager's Name",
      "Assistant's Name",
      "Assistant's Phone",
      'Company Yomi',
      'Business Street',
      'Business City',
      'Business State',
      'Business Postal Code',
      'Business Country/Region',
      'Home Street',
      'Home City',
      'Home State',
      'Home Postal Code',
      'Home Country/Region',
      'Birthday',
      'Notes',
      'Web Page',
    ]);
    expect(m).toMatchObject({
      'First Name': 'givenName',
      'Middle Name': 'middleName',
      'Last Name': 'familyName',
      'E-mail Address': 'emails',
      'E-mail 2 Address': 'emails',
      'Mobile Phone': 'phones',
      'Business Phone': 'phones',
      'Home Phone': 'phones',
      'Job Title': 'jobTitle',
      Company: 'company',
      Birthday: 'birthday',
      // Faxes and pagers are not phones to call; the assistant's phone is someone else's.
      'Business Fax': null,
      Pager: null,
      "Assistant's Phone": null,
      'Given Yomi': null,
    });
  });

  it('Vietnamese headers, with and without diacritics', () => {
    const m = suggest([
      'Họ và tên',
      'SĐT',
      'Di động',
      'Email',
      'Công ty',
      'Chức vụ',
      'Địa chỉ',
      'Tỉnh/TP',
      'Ngày sinh',
    ]);
    expect(m).toEqual({
      'Họ và tên': 'fullName',
      SĐT: 'phones',
      'Di động': 'phones',
      Email: 'emails',
      'Công ty': 'company',
      'Chức vụ': 'jobTitle',
      'Địa chỉ': 'address',
      'Tỉnh/TP': 'province',
      'Ngày sinh': 'birthday',
    });
    expect(suggest(['Ho ten', 'So dien thoai', 'Dia chi email', 'Ngay sinh'])).toEqual({
      'Ho ten': 'fullName',
      'So dien thoai': 'phones',
      'Dia chi email': 'emails',
      'Ngay sinh': 'birthday',
    });
  });
});

describe('header row', () => {
  const rows = (...cells: string[][]) => cells.map((c, i) => ({ cells: c, line: i + 1 }));
  it('skips a title line above the table', () => {
    expect(
      detectHeader(
        rows(
          ['DANH SÁCH KHÁCH HÀNG 2026'],
          [],
          ['Họ và tên', 'SĐT', 'Email'],
          ['Nguyễn Văn An', '0912345678', 'an@example.vn'],
          ['Trần Thị Bình', '0987654321', 'binh@example.vn'],
        ),
      ),
    ).toBe(2);
  });
  it('keeps the header when one data row below it is wider (ragged rows)', () => {
    expect(
      detectHeader(
        rows(
          ['Họ và tên', 'SĐT', 'Email'],
          ['Nguyễn Văn An', '0912345678', 'an@example.vn', 'thừa', 'thừa nữa', 'và nữa'],
          ['Trần Thị Bình', '0987654321', 'binh@example.vn'],
          ['Lê Văn Cường', '0903222111', 'cuong@example.vn'],
        ),
      ),
    ).toBe(0);
  });
  it('does not take a row of numbers for the header', () => {
    expect(
      detectHeader(rows(['1', '2', '3'], ['Tên', 'SĐT', 'Email'], ['An', '0912', 'a@b.vn'])),
    ).toBe(1);
  });
});
