/** Whether @streamkit/kafka lets services pick @platformatic/kafka through KAFKA_CLIENT (added by a later change). */
export async function platformaticClientSelectable(): Promise<boolean> {
  try {
    const kafka = (await import('@streamkit/kafka')) as Record<string, unknown>;
    const kinds = kafka.kafkaClientKinds;
    return Array.isArray(kinds) && kinds.includes('platformatic');
  } catch {
    return false;
  }
}
