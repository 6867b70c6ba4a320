/** The retention every pipeline gives its topics and DLQs: a week to replay from after an incident. */
export const WEEK_MS = 7 * 86_400_000;
