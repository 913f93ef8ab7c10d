/**
 * The harness's own minimal HTTP calls (init, unseal, health): kept apart from the runtime
 * under test so a runtime bug cannot hide behind a harness that uses it.
 */
import { Agent, Dispatcher, request } from "undici";

/** A raw answer: status and parsed JSON body. */
export interface RawAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** TLS material the harness presents: the CA to trust and, for mutual TLS, a client pair. */
export interface HarnessTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

const agents = new Map<string, Dispatcher>();

function dispatcherFor(tls: HarnessTls | undefined): Dispatcher | undefined {
  if (!tls) return undefined;
  const id = JSON.stringify(tls);
  let agent = agents.get(id);
  if (!agent) {
    agent = new Agent({ connect: { ...tls } });
    agents.set(id, agent);
  }
  return agent;
}

/** Call `/v1/<path>` on `address`; throws only when no HTTP answer arrives. */
export async function call<T>(
  address: string,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  options: { token?: string; body?: unknown; tls?: HarnessTls; timeoutMs?: number } = {},
): Promise<RawAnswer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers["x-vault-token"] = options.token;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const timeout = options.timeoutMs ?? 5_000;
  const res = await request(`${address}/v1/${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    dispatcher: dispatcherFor(options.tls),
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : {}) as T };
}

/** Poll `check` every `intervalMs` until it returns a value, or throw `describe()` at the deadline. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`${options.describe()}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
