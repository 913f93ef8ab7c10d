/**
 * Waiting for a KV v2 mount that was just enabled: it upgrades itself in the background and
 * refuses writes meanwhile, so provisioning and migration wait before writing into it.
 */
import { POLICIES, Requester } from "../../transport/requester";

/** Resolve once `mount/config` answers 200 (the mount takes writes); fail after 30 s. */
export async function waitForKvMount(ns: Requester, mount: string): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const res = await ns
      .request({ method: "GET", path: `${mount}/config`, acceptStatus: [400, 404, 500, 503] }, POLICIES.read)
      .catch(() => ({ status: 0 }));
    if (res.status === 200) return;
    if (Date.now() > end) throw new Error(`KV v2 mount ${mount} did not become ready within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
