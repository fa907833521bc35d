import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES } from './sniff.js';

/**
 * Attachment bytes on disk: `<dataDir>/attachments/<workspaceId>/<attachmentId>`.
 *
 * An upload is streamed to a temporary file in the same directory (hashing and counting as it
 * goes), flushed to disk, and only then is its row inserted; the file is renamed to its final
 * name inside that transaction, before COMMIT. So a committed row always has its file. A crash
 * between the rename and the commit leaves a file without a row (never the reverse): an orphan
 * that can be swept, not a broken download.
 */
export const workspaceDir = (dataDir: string, workspaceId: string) =>
  path.join(dataDir, 'attachments', workspaceId);

export const attachmentPath = (dataDir: string, workspaceId: string, id: string) =>
  path.join(workspaceDir(dataDir, workspaceId), id);

export interface StoredUpload {
  tempPath: string;
  sizeBytes: number;
  sha256: string;
  /** The first bytes, for sniffing the content type. */
  head: Buffer;
}

/** Stream `source` into a new temporary file, fsynced; the file is removed if anything fails. */
/** The uploaded bytes could not be read (the client's fault, not the disk's). */
export class UploadReadError extends Error {
  constructor(cause: unknown) {
    super('The upload could not be read', { cause });
  }
}

export async function writeTemp(
  dataDir: string,
  workspaceId: string,
  source: Readable,
): Promise<StoredUpload> {
  const dir = workspaceDir(dataDir, workspaceId);
  await fs.promises.mkdir(dir, { recursive: true });
  const tempPath = path.join(dir, `.upload-${randomUUID()}`);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const headChunks: Buffer[] = [];
  let headLength = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      if (headLength < SNIFF_BYTES) {
        headChunks.push(chunk.subarray(0, SNIFF_BYTES - headLength));
        headLength += Math.min(chunk.length, SNIFF_BYTES - headLength);
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, tap, fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
    // fsync is per file, not per descriptor: flush what the stream wrote.
    const handle = await fs.promises.open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await removeFile(tempPath);
    // Not the file system's error (those carry a syscall): the source could not be read, as
    // when a multipart body ends before its closing boundary.
    throw (err as { syscall?: unknown }).syscall ? err : new UploadReadError(err);
  }
  return { tempPath, sizeBytes, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) };
}

/** Move a finished upload to its final name and make the rename durable. */
export async function commitFile(tempPath: string, finalPath: string): Promise<void> {
  await fs.promises.rename(tempPath, finalPath);
  const dir = await fs.promises.open(path.dirname(finalPath), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function removeFile(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}
