// Waiting on state instead of time: tests poll what they wait for (a process, a file, a server's
// request log) and never sleep a fixed delay before they signal or assert.

/** Polls every 5 ms until `ready()` holds; rejects after `timeoutMs` naming what it waited for. */
export async function until(ready: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
