/**
 * The file formats an export is written in (GET /:object/export?format=, export jobs): CSV and
 * XLSX for every record object, vCard 4.0 for the objects whose declaration has
 * `export.vcard` (contacts). No imports: the exports table's enum reads it too.
 */
export const exportFormats = ['csv', 'xlsx', 'vcf'] as const;
export type ExportFormat = (typeof exportFormats)[number];
