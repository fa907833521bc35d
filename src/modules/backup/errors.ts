import { AppError } from '../../core/errors.js';

/** The refusals of backup and restore, in both languages (the CLI prints the English text). */
export const backupErrors = {
  damaged: (detail: string) =>
    new AppError('BAD_REQUEST', {
      text: {
        vi: `Tệp sao lưu bị hỏng hoặc không đầy đủ (${detail}). Không có dữ liệu nào được khôi phục.`,
        en: `The backup file is damaged or incomplete (${detail}). Nothing was restored.`,
      },
      details: { reason: 'backup_damaged' },
    }),
  notABackup: () =>
    new AppError('BAD_REQUEST', {
      text: {
        vi: 'Tệp này không phải là bản sao lưu của Sen.',
        en: 'This file is not a Sen backup.',
      },
      details: { reason: 'not_a_backup' },
    }),
  newerFormat: (version: number) =>
    new AppError('BAD_REQUEST', {
      text: {
        vi: `Bản sao lưu dùng định dạng ${version}, mới hơn phiên bản Sen này. Hãy nâng cấp Sen rồi khôi phục lại.`,
        en: `The backup uses format ${version}, newer than this Sen reads. Upgrade Sen, then restore.`,
      },
      details: { reason: 'backup_format_newer' },
    }),
  newerSchema: (tag: string) =>
    new AppError('BAD_REQUEST', {
      text: {
        vi: `Bản sao lưu được tạo bởi phiên bản Sen mới hơn (lược đồ ${tag}). Hãy nâng cấp Sen rồi khôi phục lại.`,
        en: `The backup was made by a newer Sen (schema ${tag}). Upgrade Sen, then restore.`,
      },
      details: { reason: 'backup_schema_newer' },
    }),
  olderThanDatabase: (backupTag: string, databaseTag: string) =>
    new AppError('CONFLICT', {
      text: {
        vi:
          `Bản sao lưu có lược đồ cũ hơn (${backupTag}) cơ sở dữ liệu này (${databaseTag}). ` +
          'Hãy khôi phục vào một cơ sở dữ liệu mới mà Sen chưa từng chạy trên đó ' +
          '(một SEN_DATA_DIR mới, hoặc một cơ sở dữ liệu PostgreSQL mới).',
        en:
          `The backup's schema (${backupTag}) is older than this database's (${databaseTag}). ` +
          'Restore it into a new database Sen has not run on yet ' +
          '(a new SEN_DATA_DIR, or a new PostgreSQL database).',
      },
      details: { reason: 'backup_schema_older' },
    }),
  notEmpty: (tables: string[]) =>
    new AppError('CONFLICT', {
      text: {
        vi:
          `Sen này đã có dữ liệu (${tables.join(', ')}). Chỉ khôi phục vào một bản cài đặt trống: ` +
          'một SEN_DATA_DIR mới, hoặc một cơ sở dữ liệu PostgreSQL mới.',
        en:
          `This Sen already has data (${tables.join(', ')}). Restore only into an empty ` +
          'instance: a new SEN_DATA_DIR, or a new PostgreSQL database.',
      },
      details: { reason: 'instance_not_empty', tables },
    }),
  workspaceNotFound: () =>
    new AppError('NOT_FOUND', {
      text: {
        vi: 'Không tìm thấy không gian làm việc này (--workspace <id hoặc tên>).',
        en: 'No such workspace (--workspace <id or name>).',
      },
    }),
  outputExists: (file: string) =>
    new AppError('CONFLICT', {
      text: {
        vi: `Tệp ${file} đã tồn tại; hãy chọn tên khác với --out.`,
        en: `${file} already exists; choose another name with --out.`,
      },
    }),
};
