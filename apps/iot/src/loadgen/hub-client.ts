/** Registers the load generator's devices with the hub (PUT /devices/:id, admin key). */
export async function registerLoadDevices(
  hubUrl: string,
  adminKey: string,
  deviceIds: readonly string[],
  concurrency = 16,
): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const deviceId = deviceIds[next++];
      if (deviceId === undefined) return;
      const response = await fetch(new URL(`/devices/${deviceId}`, hubUrl), {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
        body: JSON.stringify({ name: `loadgen ${deviceId}`, model: 'loadgen' }),
      });
      if (!response.ok) throw new Error(`registering ${deviceId} with ${hubUrl}: HTTP ${response.status}`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, deviceIds.length) }, worker));
}

export async function expectHealthyHub(hubUrl: string): Promise<void> {
  const url = new URL('/health', hubUrl).href;
  let status: number;
  try {
    status = (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
  } catch (error) {
    throw new Error(`hub not reachable at ${url} (start it with \`pnpm demo iot\`)`, { cause: error });
  }
  if (status !== 200) throw new Error(`hub at ${url} is not healthy (HTTP ${status})`);
}
