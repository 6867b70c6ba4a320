import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../src/http-response-parser.ts';

const parse = (...parts: string[]) => {
  const parser = new ResponseParser();
  const out: { status: number; body: string; close: boolean }[] = [];
  for (const part of parts) {
    parser.push(Buffer.from(part, 'latin1'));
    for (let r = parser.next(); r !== undefined; r = parser.next())
      out.push({ status: r.status, body: r.body.toString('utf8'), close: r.close });
  }
  return out;
};

describe('ResponseParser', () => {
  it('splits pipelined responses however the bytes arrive', () => {
    const a = 'HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}';
    const b = 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 5\r\nConnection: close\r\n\r\nbusy!';
    const whole = a + b;
    const expected = [
      { status: 202, body: '{}', close: false },
      { status: 503, body: 'busy!', close: true },
    ];
    expect(parse(whole)).toEqual(expected);
    // every split point, including inside the head and the body
    for (let i = 1; i < whole.length; i++) expect(parse(whole.slice(0, i), whole.slice(i))).toEqual(expected);
  });

  it('reads chunked bodies and bodiless statuses', () => {
    const chunked =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3;x=1\r\n:1}\r\n0\r\n\r\n';
    const noContent = 'HTTP/1.1 204 No Content\r\n\r\n';
    expect(parse(chunked + noContent)).toEqual([
      { status: 200, body: '{"a":1}', close: false },
      { status: 204, body: '', close: false },
    ]);
  });

  it('refuses what is not an HTTP/1.1 response', () => {
    expect(() => parse('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(/a status line/);
    expect(() => parse('HTTP/1.1 200 OK\r\n\r\n')).toThrow(/a 200 response without content-length/);
    expect(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
  });
});
