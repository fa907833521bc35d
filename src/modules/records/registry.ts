import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Record objects: the CRM objects whose rows are customer records (contacts, companies; later
 * deals, tickets, orders…). Each registers its table and the columns the shared machinery
 * (access checks, timeline, search, trash, lists) needs. Later modules add objects here
 * without editing this module.
 */
export interface RecordObject {
  /** Also the permission object key and the `record_type` of notes, attachments, audit. */
  key: string;
  label: { vi: string; en: string };
  table: PgTable;
  columns: {
    id: AnyPgColumn;
    workspaceId: AnyPgColumn;
    ownerId: AnyPgColumn;
    deletedAt: AnyPgColumn;
    /** The record's display name (timeline, search results, related panels). */
    name: AnyPgColumn;
  };
}

const objects = new Map<string, RecordObject>();

export function registerRecordObject(object: RecordObject): void {
  objects.set(object.key, object);
}

export function getRecordObject(key: string): RecordObject | undefined {
  return objects.get(key);
}

export function recordObjects(): RecordObject[] {
  return [...objects.values()];
}
