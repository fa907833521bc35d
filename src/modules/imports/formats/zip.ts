import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/**
 * The safety check an uploaded zip container (XLSX, DOCX) passes before any parser reads it:
 * at most MAX_ENTRIES entries, no entry over MAX_ENTRY_BYTES, everything together under
 * MAX_TOTAL_BYTES once inflated, no entry inflating more than MAX_RATIO times its compressed
 * size (a zip bomb's signature). Every entry is inflated once here, with yauzl checking that it
 * inflates to exactly the size the directory declares, so the limits hold for what the parser
 * will actually read, not only for what the directory claims.
 */
export const ZIP_LIMITS = {
  maxEntries: 10_000,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 200,
  /** Entries smaller than this are not held to the ratio (a small XML compresses very well). */
  ratioFloorBytes: 1024 * 1024,
};

export class ZipRefused extends Error {
  constructor(
    readonly reason: 'not_zip' | 'too_many_entries' | 'too_large' | 'bomb' | 'corrupt',
    cause?: unknown,
  ) {
    super(`zip refused: ${reason}`, { cause });
  }
}

/** The entry names of a safe zip file; throws ZipRefused otherwise. */
export async function inspectZip(file: string, limits = ZIP_LIMITS): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (err) {
    throw new ZipRefused('not_zip', err);
  }
  const names: string[] = [];
  let total = 0;
  try {
    if (zip.entryCount > limits.maxEntries) throw new ZipRefused('too_many_entries');
    for await (const entry of zip.eachEntry()) {
      names.push(entry.fileName);
      if (names.length > limits.maxEntries) throw new ZipRefused('too_many_entries');
      const size = entry.uncompressedSize;
      total += size;
      if (size > limits.maxEntryBytes || total > limits.maxTotalBytes) {
        throw new ZipRefused('too_large');
      }
      if (
        size > limits.ratioFloorBytes &&
        size > limits.maxRatio * Math.max(1, entry.compressedSize)
      ) {
        throw new ZipRefused('bomb');
      }
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(
        stream,
        new Writable({
          write(_chunk, _enc, done) {
            done();
          },
        }),
      );
    }
  } catch (err) {
    throw err instanceof ZipRefused ? err : new ZipRefused('corrupt', err);
  } finally {
    zip.close();
  }
  return names;
}
