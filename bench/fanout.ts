/** stub */
export async function benchFanout(_cfg: unknown): Promise<void> {}
