import { describe, expect, it } from 'vitest';
import { userEventValidator } from '../src/index.ts';
import { errorsOf, exampleUserEvent, itRejects, withFields } from './examples.ts';

describe('UserEvent', () => {
  it.each(['view', 'add_to_cart', 'purchase'])('accepts a "%s" event', (type) => {
    expect(errorsOf(userEventValidator, withFields(exampleUserEvent, { type }))).toEqual([]);
  });

  itRejects('rejects a %s', userEventValidator, exampleUserEvent, [
    ['missing userId', { userId: undefined }, 'userId', 'is required'],
    ['extra field', { price: 10 }, 'price', 'is not allowed'],
    ['unknown type', { type: 'click' }, 'type', 'must be one of "view", "add_to_cart", "purchase"'],
    ['numeric productId', { productId: 123 }, 'productId', 'must be a string'],
    ['epoch-millis ts', { ts: 1738324800000 }, 'ts', 'must be a string'],
    [
      'bad ts',
      { ts: '31/01/2025' },
      'ts',
      'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
    ],
    [
      'id with a slash',
      { sessionId: 'a/b' },
      'sessionId',
      expect.stringContaining('hold only letters, digits'),
    ],
  ]);
});
