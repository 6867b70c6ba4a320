import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { InvalidCursorError } from './errors.ts';

describe('keyset cursor', () => {
  it('round-trips the sort key', () => {
    const cursor = { createdAt: '2026-01-01T12:00:00.123Z', alertId: 'alert-7' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64 JSON', 'bm90LWEtY3Vyc29y'],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['not a time', Buffer.from('["yesterday","a"]').toString('base64url')],
  ])('rejects a cursor that is %s', (_, text) => {
    expect(() => decodeCursor(text)).toThrow(InvalidCursorError);
  });
});
