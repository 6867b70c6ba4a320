/**
 * Just enough of an HTTP/1.1 response parser for the load generator: the status, the body
 * (content-length or chunked), and whether the server closes the connection after it.
 */
export interface ParsedResponse {
  readonly status: number;
  readonly body: Buffer;
  /** The server said `connection: close`. */
  readonly close: boolean;
}

const headerEnd = Buffer.from('\r\n\r\n');
const lineEnd = Buffer.from('\r\n');
const empty = Buffer.alloc(0);
/** A response head longer than this is not one our servers send: fail instead of buffering forever. */
const maxHeadBytes = 64 * 1024;

interface Head {
  readonly status: number;
  readonly close: boolean;
  /** Bytes of body; undefined when chunked. */
  readonly length: number | undefined;
}

export class ResponseParser {
  private buffer: Buffer = empty;
  private head: Head | undefined;
  private chunks: Buffer[] = [];

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The next complete response, or undefined until more bytes arrive. Throws on what is not HTTP. */
  next(): ParsedResponse | undefined {
    if (this.head === undefined) {
      const end = this.buffer.indexOf(headerEnd);
      if (end < 0) {
        if (this.buffer.length > maxHeadBytes) throw new Error(`a response head over ${maxHeadBytes} bytes`);
        return undefined;
      }
      this.head = parseHead(this.buffer.toString('latin1', 0, end));
      this.buffer = this.buffer.subarray(end + headerEnd.length);
    }
    const head = this.head;
    const body = head.length === undefined ? this.chunkedBody() : this.sizedBody(head.length);
    if (body === undefined) return undefined;
    this.head = undefined;
    return { status: head.status, body, close: head.close };
  }

  private sizedBody(length: number): Buffer | undefined {
    if (this.buffer.length < length) return undefined;
    const body = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return body;
  }

  private chunkedBody(): Buffer | undefined {
    for (;;) {
      const end = this.buffer.indexOf(lineEnd);
      if (end < 0) return undefined;
      const size = Number.parseInt(this.buffer.toString('latin1', 0, end).split(';')[0] ?? '', 16);
      if (!Number.isInteger(size) || size < 0) throw new Error('a malformed chunk size');
      if (size === 0) {
        // no trailers from our servers: the last chunk is followed by an empty line
        if (this.buffer.length < end + 4) return undefined;
        this.buffer = this.buffer.subarray(end + 4);
        const body = Buffer.concat(this.chunks);
        this.chunks = [];
        return body;
      }
      if (this.buffer.length < end + 2 + size + 2) return undefined;
      this.chunks.push(this.buffer.subarray(end + 2, end + 2 + size));
      this.buffer = this.buffer.subarray(end + 2 + size + 2);
    }
  }
}

function parseHead(text: string): Head {
  if (!text.startsWith('HTTP/1.')) throw new Error(`a status line ${JSON.stringify(text.slice(0, 40))}`);
  const status = Number(text.slice(9, 12));
  if (!Number.isInteger(status) || status < 100)
    throw new Error(`a status line ${JSON.stringify(text.slice(0, 40))}`);
  const lower = text.toLowerCase();
  const close = /\r\nconnection:[ \t]*close/.test(lower);
  if (/\r\ntransfer-encoding:[ \t]*chunked/.test(lower)) return { status, close, length: undefined };
  const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(lower)?.[1];
  // 1xx, 204 and 304 carry no body; our servers always send a length otherwise
  if (length === undefined && (status < 200 || status === 204 || status === 304))
    return { status, close, length: 0 };
  if (length === undefined) throw new Error(`a ${status} response without content-length`);
  return { status, close, length: Number(length) };
}
