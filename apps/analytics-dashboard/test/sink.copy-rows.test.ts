// COPY text encoding and the idempotency key, without a database.
import { describe, expect, it } from 'vitest';
import { copyText, LOG_LINE_COLUMNS, lineKeyOf, type SinkRecord } from '../src/sink/copy-rows.ts';
import { logRecords } from './support/log-records.ts';

const [base] = logRecords({ count: 1, startMs: Date.UTC(2026, 0, 1), stepMs: 1, idPrefix: 'f.copy' });
if (base === undefined) throw new Error('one record expected');
const record = (value = base, offset = '7'): SinkRecord => ({
  topic: 'logs.http',
  partition: 2,
  offset,
  value,
});

describe('sink COPY rows', () => {
  it('writes one tab-separated line per record, in column order', () => {
    const fields = copyText([record()]).slice(0, -1).split('\t');
    expect(fields).toHaveLength(LOG_LINE_COLUMNS.length);
    expect(fields[0]).toBe('f.copy.0');
    expect(fields[1]).toBe(base.ts);
    expect(fields.slice(-2)).toEqual(['2', '7']);
  });

  it('escapes backslashes, tabs and newlines so a path cannot break the row', () => {
    const text = copyText([record({ ...base, path: '/a\tb\nc\\d\re' })]);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('/a\\tb\\nc\\\\d\\re');
  });

  it('keys a line by its shipper id, or by its Kafka position when it has none', () => {
    expect(lineKeyOf(record())).toBe('f.copy.0');
    expect(lineKeyOf(record(base, '8'))).toBe('f.copy.0');
    const { id: _id, ...withoutId } = base;
    expect(lineKeyOf(record(withoutId, '9'))).toBe('logs.http:2:9');
  });
});
