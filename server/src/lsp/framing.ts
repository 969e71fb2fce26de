/**
 * A watch on the LSP base protocol's framing over stdio. vscode-jsonrpc's
 * reader reports a bad Content-Length but then waits forever, and bytes
 * that do not start a header at all (raw JSON, a length too small, so the
 * rest of a body reads as the next header) leave it waiting silently: the
 * server would never answer again and never exit, so the client would never
 * restart it. This checks the same bytes alongside the reader and reports
 * the first framing error, on which the server exits non-zero.
 */

/** A header block longer than this without its blank line is not a header block. */
const MAX_HEADER_BYTES = 8 * 1024;
/** An HTTP-style header name (RFC 9110 token), then ':' and a value. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_END = Buffer.from('\r\n\r\n');

export class FramingWatch {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current message body still to come. */
  private bodyLeft = 0;
  private failed = false;

  constructor(private readonly onError: (problem: string) => void) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, data.length);
        this.bodyLeft -= taken;
        data = data.subarray(taken);
        continue;
      }
      const end = data.indexOf(HEADER_END);
      const problem = headerProblem(data.subarray(0, end === -1 ? data.length : end).toString('latin1'), end !== -1);
      if (problem === undefined && end === -1 && data.length > MAX_HEADER_BYTES) return this.fail(`no end of the header block in ${data.length} bytes`);
      if (problem !== undefined) return this.fail(problem);
      if (end === -1) {
        this.pending = Buffer.from(data);
        return;
      }
      const length = contentLength(data.subarray(0, end).toString('latin1'));
      if (typeof length === 'string') return this.fail(length);
      this.bodyLeft = length;
      data = data.subarray(end + HEADER_END.length);
    }
  }

  private fail(problem: string): void {
    this.failed = true;
    this.onError(problem);
  }
}

/** What is wrong with a header block (complete, or the start of one), or undefined. */
function headerProblem(block: string, complete: boolean): string | undefined {
  const lines = block.split('\r\n');
  for (const [index, raw] of lines.entries()) {
    // The last line of an incomplete block may still be arriving (its "\r\n" half there).
    const last = index === lines.length - 1 && !complete;
    const line = last && raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const bad = colon === 0 || (name !== '' && !HEADER_NAME.test(name)) || (!last && colon === -1);
    if (bad) return `not a header line: ${JSON.stringify(line.slice(0, 40))}`;
  }
  return undefined;
}

/** The Content-Length of a complete header block, or why there is none usable. */
function contentLength(block: string): number | string {
  const header = block.split('\r\n').find((line) => /^content-length\s*:/i.test(line));
  if (header === undefined) return 'a message without a Content-Length header';
  const value = header.slice(header.indexOf(':') + 1).trim();
  if (!/^\d{1,10}$/.test(value) || Number(value) === 0) return `Content-Length is not a positive number: ${JSON.stringify(value.slice(0, 20))}`;
  return Number(value);
}
