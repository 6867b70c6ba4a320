import { describe, expect, it } from 'vitest';
import { accessLogValidator, rejectedLogLineValidator, statusClassOf } from '../src/index.ts';
import { errorsOf, exampleAccessLog, itRejects, withFields } from './examples.ts';

describe('AccessLog', () => {
  it('accepts a valid record, with an empty user agent and without a referrer', () => {
    expect(errorsOf(accessLogValidator, exampleAccessLog)).toEqual([]);
    expect(
      errorsOf(accessLogValidator, withFields(exampleAccessLog, { userAgent: '', referrer: undefined })),
    ).toEqual([]);
    expect(
      errorsOf(
        accessLogValidator,
        withFields(exampleAccessLog, { clientIp: '198.51.100.4', source: 'http' }),
      ),
    ).toEqual([]);
  });

  itRejects('rejects a record with a %s', accessLogValidator, exampleAccessLog, [
    ['status below 100', { status: 99 }, 'status', 'must be >= 100'],
    ['status above 599', { status: 600 }, 'status', 'must be <= 599'],
    ['fractional status', { status: 200.5 }, 'status', 'must be an integer'],
    [
      'unknown status class',
      { statusClass: '6xx' },
      'statusClass',
      'must be one of "1xx", "2xx", "3xx", "4xx", "5xx"',
    ],
    ['negative bytes', { bytes: -1 }, 'bytes', 'must be >= 0'],
    ['negative duration', { durationMs: -0.5 }, 'durationMs', 'must be >= 0'],
    ['unknown method', { method: 'BREW' }, 'method', expect.stringContaining('must be one of "GET", "HEAD"')],
    ['relative path', { path: 'products/1' }, 'path', 'must start with "/"'],
    ['bad client ip', { clientIp: 'localhost' }, 'clientIp', 'must be an IPv4 or IPv6 address'],
    ['bad host', { host: 'web 1' }, 'host', 'must be a host name'],
    ['string isBot', { isBot: 'false' }, 'isBot', 'must be a boolean'],
    ['unknown source', { source: 'syslog' }, 'source', 'must be one of "file", "http"'],
    ['missing route', { route: undefined }, 'route', 'is required'],
    ['extra field', { query: 'a=1' }, 'query', 'is not allowed'],
  ]);
});

describe('statusClassOf', () => {
  it.each([
    [100, '1xx'],
    [204, '2xx'],
    [301, '3xx'],
    [404, '4xx'],
    [599, '5xx'],
  ])('maps %i to %s', (status, statusClass) => {
    expect(statusClassOf(status)).toBe(statusClass);
  });

  it.each([99, 600, 200.5, Number.NaN])('rejects %s', (status) => {
    expect(() => statusClassOf(status)).toThrow(RangeError);
  });
});

describe('RejectedLogLine', () => {
  it('carries the raw line and the reason, and rejects a missing reason', () => {
    const rejected = {
      raw: 'garbage',
      reason: 'not a combined-format line',
      source: 'file',
      id: 'f.1-2-ab.0',
    };
    expect(errorsOf(rejectedLogLineValidator, rejected)).toEqual([]);
    expect(errorsOf(rejectedLogLineValidator, { raw: 'x', source: 'http' }).map((e) => e.field)).toContain(
      'reason',
    );
  });
});

describe('AccessLog id', () => {
  it('accepts a file identity + offset and rejects spaces', () => {
    expect(
      errorsOf(accessLogValidator, withFields(exampleAccessLog, { id: 'f.2049-1234-0a1b2c3d.8812' })),
    ).toEqual([]);
    expect(errorsOf(accessLogValidator, withFields(exampleAccessLog, { id: 'has space' }))).not.toEqual([]);
  });
});
