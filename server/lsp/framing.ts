/**
 * LSP framing repair for stdio. vscode-jsonrpc trusts every Content-Length: one frame whose length lies, or whose
 * body is not JSON, leaves its reader in the middle of some later message for good. This transform sits between
 * stdin and that reader, parses the framing itself, passes every well-formed frame through byte for byte, and
 * drops a bad one, resynchronising at the next `Content-Length:` it finds (also one swallowed by a body that was
 * declared too long). Work is linear in the input (every search goes forward, none is repeated), and it holds at
 * most one frame plus a header's worth of bytes.
 */
import { Transform, type TransformCallback } from 'node:stream';

const MAX_HEADER = 8 * 1024;
const MAX_BODY = 64 * 1024 * 1024;
/** Where a frame may start again after a bad one. */
const HEADER_START = /content-length:/gi;
/**
 * A whole Content-Length line. It never occurs in valid JSON (outside strings letters are not tokens; inside one a
 * raw CR is not allowed), so meeting one in a body still being read proves that body's length lied.
 */
const LENGTH_LINE = /content-length:[ \t]{0,16}\d{1,10}\r\n/i;
/** Body bytes kept from one chunk to the next, so a LENGTH_LINE split between chunks is found. */
const OVERLAP = 64;
const NAME = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+):/y;
const LENGTH_VALUE = /[ \t]*(\d{1,9})[ \t]*\r\n/y;
/** Any other header's value: no bare CR or LF, which vscode-jsonrpc would read differently. */
const OTHER_VALUE = /[^\r\n]*\r\n/y;

/** The frame whose body is being read. `start` is where it begins in `buf`, -1 once it began in an earlier chunk. */
interface Frame {
  start: number;
  head: Buffer;
  length: number;
  parts: Buffer[];
  have: number;
  tail: string;
}

export class FrameRepair extends Transform {
  /** Bytes not yet passed on or dropped, from `at`; `str` is the same bytes as latin1 (one char per byte) to search. */
  private buf: Buffer = EMPTY;
  private str = '';
  private at = 0;
  private syncing = false;
  private frame?: Frame;
  /** The first blank line (\r\n\r\n) at or after `at`, or -1; no search has to look before `searched` - 3 again. */
  private blank = -1;
  private searched = 0;

  /** `accept` sees each well-formed message (parsed) and says whether it goes on to the server. */
  constructor(private readonly accept: (message: unknown) => boolean = () => true) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // Only a header in progress (under 8 KB) or a few bytes being searched are left over from the last chunk.
    this.reset(this.at < this.buf.length ? Buffer.concat([this.buf.subarray(this.at), chunk]) : chunk, this.at);
    while (this.frame ? this.body(this.frame) : this.syncing ? this.sync() : this.header());
    done();
  }

  /** Looks for the next header start; false when more input is needed. */
  private sync(): boolean {
    HEADER_START.lastIndex = this.at;
    const m = HEADER_START.exec(this.str);
    // Without a header start, only the last bytes can still become one.
    if (!m) {
      this.at = Math.max(this.at, this.str.length - 14);
      return false;
    }
    this.at = m.index;
    this.syncing = false;
    return true;
  }

  private header(): boolean {
    const blank = this.findBlank();
    if (blank < 0 && this.str.length - this.at < MAX_HEADER + 4) return false; // the rest of the header is to come
    if (blank < 0 || blank - this.at > MAX_HEADER) return this.resync(this.at + 1);
    const h = readHeader(this.str, this.at, blank);
    // On a bad line, go on from that line: a Content-Length there may begin a real frame.
    if ('bad' in h) return this.resync(Math.max(this.at + 1, h.bad));
    this.frame = { start: this.at, head: this.buf.subarray(this.at, blank + 4), length: h.length, parts: [], have: 0, tail: '' };
    this.at = blank + 4;
    return true;
  }

  private body(f: Frame): boolean {
    const need = f.length - f.have;
    if (this.buf.length - this.at >= need) {
      this.frame = undefined;
      const end = this.at + need;
      const body = f.parts.length ? Buffer.concat([...f.parts, this.buf.subarray(this.at, end)]) : this.buf.subarray(this.at, end);
      const message = parseJson(body);
      if (message) {
        if (this.accept(message.value)) this.push(f.start >= 0 ? this.buf.subarray(f.start, end) : Buffer.concat([f.head, body]));
        this.at = end;
        return true;
      }
      // A length too small cuts a body short, so the next header may sit in what was read as this body.
      if (f.start >= 0) return this.resync(f.start + 1);
      this.reset(Buffer.concat([f.head.subarray(1), body, this.buf.subarray(end)]));
      return this.resync(0);
    }
    // Incomplete: a whole Content-Length line in what has come means the next frame began inside this body.
    const seen = f.tail + this.str.slice(this.at);
    const swallowed = LENGTH_LINE.exec(seen);
    if (swallowed) {
      this.frame = undefined;
      const i = swallowed.index - f.tail.length;
      if (i >= 0) this.at += i;
      else this.reset(Buffer.concat([Buffer.from(f.tail.slice(swallowed.index), 'latin1'), this.buf.subarray(this.at)]));
      return true;
    }
    f.parts.push(this.buf.subarray(this.at));
    f.have += this.buf.length - this.at;
    f.tail = seen.slice(-OVERLAP);
    f.start = -1;
    this.at = this.buf.length;
    return false;
  }

  /** The frame at `at` is bad: look for the next one from `from` on. */
  private resync(from: number): boolean {
    this.at = from;
    this.syncing = true;
    return true;
  }

  /**
   * Works on new bytes from now on. `shift` says they are the old ones from that offset on followed by a new chunk,
   * so what findBlank learnt still holds (moved by `shift`); otherwise it is forgotten.
   */
  private reset(buf: Buffer, shift?: number): void {
    this.blank = shift !== undefined && this.blank >= shift ? this.blank - shift : -1;
    this.searched = shift !== undefined ? Math.max(0, this.searched - shift) : 0;
    this.buf = buf;
    this.str = buf.toString('latin1');
    this.at = 0;
  }

  /** The first blank line from `at`: found once, then reused by every resync that starts before it. */
  private findBlank(): number {
    if (this.blank < this.at) {
      this.blank = this.str.indexOf('\r\n\r\n', Math.max(this.at, this.searched - 3));
      this.searched = this.blank >= 0 ? this.blank : this.str.length;
    }
    return this.blank;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * The header from `start` to its blank line: the body length, or where the line at fault starts. Each line is
 * read once; a Content-Length line is judged on its first few bytes, so a resync on one is cheap.
 */
function readHeader(s: string, start: number, blank: number): { length: number } | { bad: number } {
  let length: number | undefined;
  for (let at = start; at < blank + 2;) {
    NAME.lastIndex = at;
    const name = NAME.exec(s);
    if (!name) return { bad: at };
    const value = name[1].toLowerCase() === 'content-length' ? LENGTH_VALUE : OTHER_VALUE;
    value.lastIndex = NAME.lastIndex;
    const v = value.exec(s);
    if (!v) return { bad: at };
    if (value === LENGTH_VALUE) {
      const n = Number(v[1]);
      if (n < 1 || n > MAX_BODY || (length !== undefined && n !== length)) return { bad: at };
      length = n;
    }
    at = value.lastIndex;
  }
  return length === undefined ? { bad: start } : { length };
}

/** Decoded as vscode-jsonrpc decodes a body (UTF-8, a BOM dropped), so both agree on what is JSON. */
const utf8 = new TextDecoder();

function parseJson(body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(utf8.decode(body)) };
  } catch {
    return undefined;
  }
}

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: number | string;
  error: { code: number; message: string };
}

/**
 * LSP: after a `shutdown` request every request is answered with InvalidRequest and every notification but
 * `exit` is ignored. Responses (to the server's own requests) still go through.
 */
export function shutdownGate(reply: (response: JsonRpcResponse) => void) {
  const gate = {
    shutDown: false,
    accept(message: unknown): boolean {
      const m = (message && typeof message === 'object' ? message : {}) as { method?: unknown; id?: unknown };
      if (typeof m.method !== 'string') return true;
      const request = typeof m.id === 'number' || typeof m.id === 'string';
      if (!gate.shutDown) {
        if (request && m.method === 'shutdown') gate.shutDown = true;
        return true;
      }
      if (request) reply({ jsonrpc: '2.0', id: m.id as number | string, error: { code: -32600, message: 'The server is shut down: only exit is accepted.' } });
      return !request && m.method === 'exit';
    },
  };
  return gate;
}
