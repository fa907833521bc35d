import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import ZipStream from 'zip-stream';

/**
 * The backup file is a zip: written as a stream (zip-stream, archiver's writer: entries of
 * unknown size with data descriptors, ZIP64 past 4 GB), read with random access (yauzl: the
 * central directory first, so the manifest, written last, is read first).
 */

/** What one entry held, uncompressed: for the manifest, checked again on restore. */
export interface EntryDigest {
  bytes: number;
  sha256: string;
}

/** An entry being written: chunks go in with backpressure; end() gives its digest. */
export interface EntryWriter {
  write(chunk: string | Buffer): Promise<void>;
  end(): Promise<EntryDigest>;
}

export class ZipWriter {
  private readonly zip = new ZipStream({ zlib: { level: 6 } });
  private readonly written: Promise<void>;
  /** Rejects as soon as the file cannot be written (never resolves otherwise). */
  private readonly failed: Promise<never>;

  constructor(file: string) {
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    this.written = pipeline(this.zip, out);
    this.failed = this.written.then(
      () => new Promise<never>(() => {}),
      (err: unknown) => Promise.reject(err),
    );
    // Observed by every await below; this keeps an early failure from being "unhandled".
    this.failed.catch(() => {});
  }

  /** Add one entry from a stream or a buffer; resolves when it is in the archive. */
  add(name: string, source: Readable | Buffer, opts: { store?: boolean } = {}): Promise<void> {
    const added = new Promise<void>((resolve, reject) => {
      this.zip.entry(source, { name, date: new Date(), store: opts.store ?? false }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
    return Promise.race([added, this.failed]);
  }

  /** An entry written chunk by chunk (a table's rows), hashed as it goes. */
  entry(name: string, opts: { store?: boolean } = {}): EntryWriter {
    const source = new PassThrough({ highWaterMark: 1 << 20 });
    const added = this.add(name, source, opts);
    added.catch(() => {}); // awaited in end() or raced in write()
    const hash = createHash('sha256');
    let bytes = 0;
    return {
      write: async (chunk) => {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(buffer);
        bytes += buffer.length;
        if (!source.write(buffer)) await Promise.race([once(source, 'drain'), added]);
      },
      end: async () => {
        source.end();
        await added;
        return { bytes, sha256: hash.digest('hex') };
      },
    };
  }

  /** Write the central directory and close the file; returns the archive's size. */
  async finish(): Promise<number> {
    this.zip.finalize();
    await this.written;
    return this.zip.getBytesWritten();
  }

  /** Stop writing (after a failure); the caller removes the file. */
  async abort(): Promise<void> {
    this.zip.destroy();
    await this.written.catch(() => {});
  }
}

/** The archive could not be read: not a zip, truncated, or an entry's bytes are damaged. */
export class ArchiveReadError extends Error {}

export class ZipReader {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ReadonlyMap<string, yauzl.Entry>,
  ) {}

  static async open(file: string): Promise<ZipReader> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(
        file,
        { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true },
        (err, z) => (err ? reject(new ArchiveReadError(err.message)) : resolve(z)),
      ),
    );
    try {
      const entries = new Map<string, yauzl.Entry>();
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          entries.set(entry.fileName, entry);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', (err: Error) => reject(new ArchiveReadError(err.message)));
        zip.readEntry();
      });
      return new ZipReader(zip, entries);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  /** The uncompressed bytes of one entry, as a stream (errors are ArchiveReadError). */
  async open(name: string): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry) throw new ArchiveReadError(`${name} is missing`);
    const stream = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(entry, (err, s) =>
        err ? reject(new ArchiveReadError(`${name}: ${err.message}`)) : resolve(s),
      ),
    );
    // Inflate errors and size mismatches surface as the archive's fault, not the caller's.
    const checked = new PassThrough({ highWaterMark: 1 << 20 });
    stream.on('error', (err) => checked.destroy(new ArchiveReadError(`${name}: ${err.message}`)));
    stream.pipe(checked);
    return checked;
  }

  /** A small entry (the manifest) as text, refused past `maxBytes`. */
  async text(name: string, maxBytes: number): Promise<string> {
    const entry = this.entries.get(name);
    if (!entry) throw new ArchiveReadError(`${name} is missing`);
    if (entry.uncompressedSize > maxBytes) throw new ArchiveReadError(`${name} is too large`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}

/**
 * The lines of a stream of newline-terminated UTF-8 text, in batches (a table's rows): at most
 * `maxLines` lines or about `maxBytes` per batch. Never more than one batch in memory.
 */
export async function* lineBatches(
  source: Readable,
  maxLines: number,
  maxBytes: number,
): AsyncGenerator<string[]> {
  let rest = '';
  let batch: string[] = [];
  let size = 0;
  // A multi-byte character never contains the byte of '\n', so decoding per chunk at line
  // boundaries is safe; the decoder keeps a character split between chunks.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of source) {
    const text = rest + decoder.decode(chunk as Buffer, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      batch.push(line);
      size += line.length;
      if (batch.length >= maxLines || size >= maxBytes) {
        yield batch;
        batch = [];
        size = 0;
      }
    }
  }
  rest += decoder.decode();
  if (rest !== '') throw new ArchiveReadError('the last line is incomplete');
  if (batch.length > 0) yield batch;
}
