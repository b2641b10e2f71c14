/** The part of unzipper (the ZIP reader exceljs streams with) used here; the package ships no types. */
declare module 'unzipper' {
  import type { Duplex, Readable } from 'node:stream';

  /** One member of the archive: its inflated bytes. */
  export interface ZipEntry extends Readable {
    readonly path: string;
  }

  /** A stream that takes the archive's bytes and yields its entries one after the other (`forceStream`). */
  export function Parse(options: { forceStream: true }): Duplex & AsyncIterable<ZipEntry>;

  const unzipper: { Parse: typeof Parse };
  export default unzipper;
}
