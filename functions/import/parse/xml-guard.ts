/**
 * A byte-level watch on one XML part of a workbook, fed the part's bytes as they are inflated and before
 * exceljs sees them. exceljs and its XML parser (saxes) hold some things whole before handing them on: a
 * text node, a tag, a comment; the text of a cell (across text nodes); a shared string (across runs); a
 * row; the tags open around the current one. None of that is bounded by the file's compressed size: a
 * 300 KB workbook can hold one 300 MB string. So the guard counts each of them on the raw bytes, exactly
 * where exceljs would start and stop holding it, and refuses the file as soon as one goes over its limit.
 * It never builds strings or trees itself: its own memory is a few counters.
 */
import { FileRejectedError } from './errors.ts';
import type { XlsxLimits } from './limits.ts';
import { cellTooLarge, ExceljsHoldings, type PartKind } from './xml-holdings.ts';

export type { PartKind } from './xml-holdings.ts';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DASH = 0x2d;
const BRACKET = 0x5d;
const COLON = 0x3a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Elements open around the current one; a real part nests a dozen deep at most. */
const MAX_DEPTH = 256;
/** Enough of a tag's name to tell the elements that matter; longer names matter to nobody. */
const MAX_NAME_BYTES = 16;

const CDATA_HEAD = '[CDATA[';

type Mode = 'text' | 'tag' | 'special-head' | 'special';

/** What ends a comment, a CDATA section or a processing instruction; a declaration never ends. */
type Terminator = 'comment' | 'cdata' | 'pi' | 'never';

/**
 * Watches one part. {@link write} each inflated chunk in order, then {@link end}.
 * @throws FileRejectedError (`too-large`, or `not-a-spreadsheet` for nesting no workbook has) from
 * `write` as soon as a limit is passed.
 */
export class XmlPartGuard {
  private mode: Mode = 'text';
  /** Bytes of the token being read: text node, tag, comment… */
  private token = 0;
  private depth = 0;

  // the tag being read
  private closing = false;
  private selfClosing = false;
  private nameDone = false;
  private name = '';
  private quote = 0;
  private afterLt = false;

  // a comment, CDATA section, processing instruction or declaration being read
  private specialHead = '';
  private terminator: Terminator = 'never';
  private previous1 = 0;
  private previous2 = 0;

  /** What exceljs holds of the part so far. */
  private readonly held: ExceljsHoldings;

  constructor(
    kind: PartKind,
    private readonly limits: XlsxLimits,
  ) {
    this.held = new ExceljsHoldings(kind, limits);
  }

  write(chunk: Uint8Array): void {
    let index = 0;
    while (index < chunk.length) {
      switch (this.mode) {
        case 'text':
          index = this.readText(chunk, index);
          break;
        case 'tag':
          index = this.readTag(chunk, index);
          break;
        case 'special-head':
          index = this.readSpecialHead(chunk, index);
          break;
        case 'special':
          index = this.readSpecial(chunk, index);
          break;
      }
    }
  }

  /** The part ended. Nothing is held past its end, so there is nothing left to check. */
  end(): void {}

  private readText(chunk: Uint8Array, from: number): number {
    const lt = chunk.indexOf(LT, from);
    const stop = lt === -1 ? chunk.length : lt;
    this.count(stop - from, true);
    if (lt === -1) return chunk.length;
    this.token = 0;
    this.mode = 'tag';
    this.afterLt = true;
    this.closing = false;
    this.selfClosing = false;
    this.nameDone = false;
    this.name = '';
    this.quote = 0;
    this.count(1, false);
    return lt + 1;
  }

  private readTag(chunk: Uint8Array, from: number): number {
    let index = from;
    if (this.afterLt && index < chunk.length) {
      this.afterLt = false;
      const byte = chunk[index] as number;
      if (byte === BANG || byte === QUESTION) {
        this.count(1, false);
        this.previous1 = 0;
        this.previous2 = 0;
        this.specialHead = '';
        if (byte === QUESTION) this.enterSpecial('pi');
        else this.mode = 'special-head';
        return index + 1;
      }
      if (byte === SLASH) {
        this.closing = true;
        index++;
      }
    }
    // the bytes of a workbook are mostly tags: this loop keeps its state in locals
    let quote = this.quote;
    let nameDone = this.nameDone;
    let name = this.name;
    let slash = this.selfClosing;
    for (; index < chunk.length; index++) {
      const byte = chunk[index] as number;
      if (quote !== 0) {
        if (byte === quote) quote = 0;
        continue;
      }
      if (byte === GT) break;
      if (!nameDone) {
        if (byte <= 0x20 || byte === SLASH) nameDone = true;
        else if (byte === COLON) name = '';
        else if (name.length < MAX_NAME_BYTES) name += String.fromCharCode(byte);
      }
      if (byte === DQUOTE || byte === SQUOTE) quote = byte;
      slash = byte === SLASH;
    }
    this.quote = quote;
    this.nameDone = nameDone;
    this.name = name;
    this.selfClosing = slash;
    if (index === chunk.length) {
      this.count(index - from, false);
      return index;
    }
    this.count(index + 1 - from, false);
    this.endTag();
    return index + 1;
  }

  private readSpecialHead(chunk: Uint8Array, from: number): number {
    let index = from;
    for (; index < chunk.length && this.mode === 'special-head'; index++) {
      this.specialHead += String.fromCharCode(chunk[index] as number);
      if (this.specialHead === '--') this.enterSpecial('comment');
      else if (this.specialHead === CDATA_HEAD) this.enterSpecial('cdata');
      else if (!'--'.startsWith(this.specialHead) && !CDATA_HEAD.startsWith(this.specialHead)) {
        // <!DOCTYPE and the like: no workbook part has one, and what it holds is never let go
        this.enterSpecial('never');
      }
    }
    this.count(index - from, false);
    return index;
  }

  private enterSpecial(terminator: Terminator): void {
    this.terminator = terminator;
    this.mode = 'special';
    this.previous1 = 0;
    this.previous2 = 0;
  }

  private readSpecial(chunk: Uint8Array, from: number): number {
    for (let index = from; index < chunk.length; index++) {
      const byte = chunk[index] as number;
      if (byte === GT && this.ends(this.previous1, this.previous2)) {
        this.count(index + 1 - from, false);
        this.mode = 'text';
        this.token = 0;
        return index + 1;
      }
      this.previous2 = this.previous1;
      this.previous1 = byte;
    }
    this.count(chunk.length - from, false);
    return chunk.length;
  }

  private ends(before1: number, before2: number): boolean {
    switch (this.terminator) {
      case 'comment':
        return before1 === DASH && before2 === DASH;
      case 'cdata':
        return before1 === BRACKET && before2 === BRACKET;
      case 'pi':
        return before1 === QUESTION;
      case 'never':
        return false;
    }
  }

  /** A tag was read whole: the element opens, closes, or both. */
  private endTag(): void {
    this.mode = 'text';
    this.token = 0;
    if (this.closing) {
      this.depth = Math.max(0, this.depth - 1);
      this.held.close(this.name);
      return;
    }
    this.held.open(this.name);
    if (this.selfClosing) this.held.close(this.name);
    else if (++this.depth > MAX_DEPTH) {
      throw new FileRejectedError(
        'not-a-spreadsheet',
        'Excel 文件的内部结构嵌套过深，文件可能已损坏，请用 Excel 打开后重新另存为 .xlsx 再上传',
      );
    }
  }

  /** Counts bytes of the current token, and of whatever holds them in exceljs. */
  private count(bytes: number, text: boolean): void {
    if (bytes === 0) return;
    this.token += bytes;
    if (this.token > this.limits.cellBytes) throw cellTooLarge(this.limits);
    this.held.count(bytes, text);
  }
}
