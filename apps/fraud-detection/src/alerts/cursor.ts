import { InvalidCursorError } from './errors.ts';

/** Where a page ended, in the listing order (created_at desc, alert_id desc). */
export interface AlertCursor {
  readonly createdAt: string;
  readonly alertId: string;
}

/** Opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(cursor: AlertCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.alertId])).toString('base64url');
}

export function decodeCursor(text: string): AlertCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError(error);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    Number.isNaN(Date.parse(parsed[0]))
  ) {
    throw new InvalidCursorError();
  }
  return { createdAt: parsed[0], alertId: parsed[1] };
}
