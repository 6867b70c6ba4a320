import Type, { type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { compileValidator } from './validator.ts';

export const UserEventType = Type.Enum(['view', 'add_to_cart', 'purchase']);
export type UserEventType = Static<typeof UserEventType>;

/** One shopper interaction, as the web app reports it. */
export const UserEvent = Type.Object(
  {
    eventId: Id,
    type: UserEventType,
    userId: Id,
    sessionId: Id,
    productId: Id,
    ts: Timestamp,
  },
  { additionalProperties: false },
);
export type UserEvent = Static<typeof UserEvent>;
export const userEventValidator = compileValidator('UserEvent', UserEvent);
