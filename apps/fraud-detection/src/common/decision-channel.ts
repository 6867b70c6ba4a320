/**
 * The Redis channel on which the detector announces new decisions (published by the same script
 * that stores them) and the gateway wakes its long-polls. One message per state write: a line per
 * decision, `<paymentId>\t<decision JSON>`, so a gateway parses only the decisions someone waits
 * for. A message can be missed (a subscriber reconnecting): the stored decision stays the truth.
 */
export function decisionLine(paymentId: string, decisionJson: string): string {
  return `${paymentId}\t${decisionJson}`;
}

/** Calls `each` with the paymentId and the raw JSON of every line of a channel message. */
export function forEachDecisionLine(message: string, each: (paymentId: string, json: string) => void): void {
  let start = 0;
  while (start < message.length) {
    let end = message.indexOf('\n', start);
    if (end === -1) end = message.length;
    const tab = message.indexOf('\t', start);
    if (tab > start && tab < end) each(message.slice(start, tab), message.slice(tab + 1, end));
    start = end + 1;
  }
}
