/** Hides the password of a URL ("postgres://app:hunter2@db/x" → "postgres://app:***@db/x"), even when malformed. */
export function maskUrlCredentials(value: string): string {
  return value.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/, '$1:***@');
}
