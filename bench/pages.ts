/** stub */
export async function benchPages(_cfg: unknown): Promise<void> {}
