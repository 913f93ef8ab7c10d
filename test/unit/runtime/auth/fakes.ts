/**
 * Test doubles for the TokenManager's unit tests: a fake clock whose timers run when the test
 * advances time, a scripted requester, and scripted auth methods. No server, no real time.
 */
import { AuthMethod, AuthResult, Clock, RequestPolicy, Requester, VaultRequest, VaultResponse } from "../../../../runtime";

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Let pending promise chains run (several macrotask turns). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  private time = 1_700_000_000_000;
  private nextId = 1;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, delayMs: number): () => void {
    const timer = { id: this.nextId++, at: this.time + delayMs, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
    };
  }

  /** Delays (from now) of the pending timers. */
  get pending(): number[] {
    return this.timers.map((t) => t.at - this.time);
  }

  /** Move time forward by `ms`, firing due timers in order and letting their async work settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
      await flush();
    }
    this.time = end;
    await flush();
  }

  /** Fire the next pending timer, whatever its delay; returns the delay it had. */
  async fireNext(): Promise<number> {
    const next = [...this.timers].sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (!next) throw new Error("no timer pending");
    const delay = next.at - this.time;
    await this.advance(delay);
    return delay;
  }
}

/** A requester whose answers come from a handler; records every request and token change. */
export class ScriptedRequester implements Requester {
  public readonly requests: VaultRequest[] = [];
  public token: string | undefined;
  public handler: (req: VaultRequest) => Promise<VaultResponse<unknown>> | VaultResponse<unknown> = () => ({
    status: 204,
    body: undefined,
  });

  /** The policy each request was sent with, in the order of {@link ScriptedRequester.requests}. */
  public readonly policies: RequestPolicy[] = [];
  private readonly recoveryListeners = new Set<() => void>();
  private readonly refusalListeners = new Set<() => void>();

  async request<T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>> {
    this.requests.push(req);
    this.policies.push(policy);
    return (await this.handler(req)) as VaultResponse<T>;
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  onRecovered(listener: () => void): () => void {
    this.recoveryListeners.add(listener);
    return () => this.recoveryListeners.delete(listener);
  }

  /** Tell the listeners the server can serve again, as a cluster-aware requester does. */
  recover(): void {
    for (const listener of this.recoveryListeners) listener();
  }

  onTokenRefused(listener: () => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /** Tell the listeners a request with the token was refused (403), as a VaultClient does. */
  refuse(): void {
    for (const listener of this.refusalListeners) listener();
  }

  /** Listeners currently registered for refusals. */
  get refusalListenerCount(): number {
    return this.refusalListeners.size;
  }

  /** Listeners currently registered for recovery. */
  get recoveryListenerCount(): number {
    return this.recoveryListeners.size;
  }

  /** How many requests went to `path`. */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }
}

/** The `auth` block of a renew-self answer. */
export function renewAnswer(ttlSeconds: number, renewable = true): VaultResponse<unknown> {
  return { status: 200, body: { auth: { client_token: "ignored", accessor: "acc", lease_duration: ttlSeconds, renewable } } };
}

/** An auth method whose logins succeed or fail as scripted. */
export class ScriptedMethod implements AuthMethod {
  public logins = 0;
  public fail: Error | undefined;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;

  constructor(
    public readonly name: string,
    public readonly mountPath: string,
    private readonly ttlSeconds: number,
    private readonly renewable = true,
  ) {}

  /** Make the next logins wait until {@link ScriptedMethod.open} is called. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  /** Let held logins complete. */
  open(): void {
    this.release?.();
    this.gate = undefined;
  }

  async login(): Promise<AuthResult> {
    this.logins++;
    const n = this.logins;
    if (this.gate) await this.gate;
    if (this.fail) throw this.fail;
    return {
      clientToken: `${this.name}-token-${n}`,
      accessor: `${this.name}-accessor-${n}`,
      policies: ["default", this.name],
      tokenPolicies: ["default", this.name],
      leaseDurationSeconds: this.ttlSeconds,
      renewable: this.renewable,
      tokenType: "service",
      entityId: undefined,
      metadata: {},
    };
  }
}

/** A typical login answer. */
export const LOGIN_ANSWER: VaultResponse<unknown> = {
  status: 200,
  body: {
    auth: {
      client_token: "s.issued",
      accessor: "acc-1",
      policies: ["default", "app"],
      token_policies: ["default", "app"],
      metadata: { role: "r" },
      lease_duration: 60,
      renewable: true,
      token_type: "service",
    },
  },
};

/** Log in with `method` against a requester answering {@link LOGIN_ANSWER}; returns the one request sent. */
export async function loginRequestOf(method: AuthMethod): Promise<VaultRequest> {
  const requester = new ScriptedRequester();
  requester.handler = () => LOGIN_ANSWER;
  const result = await method.login(requester);
  if (result.clientToken !== "s.issued" || result.leaseDurationSeconds !== 60) throw new Error("the login answer was not decoded");
  if (requester.requests.length !== 1) throw new Error(`expected one request, got ${requester.requests.length}`);
  if (requester.token !== undefined) throw new Error("a login must not install a token on the requester");
  return requester.requests[0];
}
