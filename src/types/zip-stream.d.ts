// zip-stream (archiver's zip writer) ships no types: what src/modules/backup/archive.ts uses.
declare module 'zip-stream' {
  import type { Readable, Transform } from 'node:stream';

  interface ZipStreamOptions {
    /** zlib options of deflated entries (level 0-9). */
    zlib?: { level?: number };
    /** Store every entry instead of deflating it. */
    store?: boolean;
    forceZip64?: boolean;
  }

  interface EntryData {
    name: string;
    date?: Date;
    mode?: number;
    /** Store this entry (no compression). */
    store?: boolean;
  }

  class ZipStream extends Transform {
    constructor(options?: ZipStreamOptions);
    entry(
      source: Readable | Buffer | string,
      data: EntryData,
      callback: (err: Error | null, entry?: unknown) => void,
    ): void;
    finalize(): void;
    getBytesWritten(): number;
  }

  export default ZipStream;
}
