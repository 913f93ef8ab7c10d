import { VaultConnectionError, VaultHttpError } from "../../../../runtime";
import {
  AuthChainError,
  AuthResult,
  SendOptions,
  VaultRequest,
  VaultRequester,
  VaultResponse,
  EmergencyAccessEvent,
  FallbackEvent,
  LoginEvent,
  LoginFailedEvent,
  RenewalFailedEvent,
  TokenManager,
  TokenManagerOptions,
  TokenRenewedEvent,
} from "../../../../runtime";
import { FakeClock, ScriptedMethod, ScriptedRequester, flush, renewAnswer } from "./fakes";

const RENEW = "auth/token/renew-self";

function outage(): never {
  throw new VaultConnectionError("POST", RENEW, "http://127.0.0.1:1", new Error("connect ECONNREFUSED"));
}

/**
 * The narrow band (60–73 % of the TTL) the schedule scenarios below were written for; the
 * default band has tests of its own.
 */
const NARROW = { earliest: 0.6, latest: 0.6 + 0.4 / 3 };

function setup(methods: ScriptedMethod[], options: Partial<TokenManagerOptions> = {}) {
  const clock = new FakeClock();
  const requester = new ScriptedRequester();
  const manager = new TokenManager({ requester, methods, clock, random: () => 0.5, renewal: NARROW, ...options });
  const events = {
    login: [] as LoginEvent[],
    failed: [] as LoginFailedEvent[],
    fallback: [] as FallbackEvent[],
    renewed: [] as TokenRenewedEvent[],
    renewalFailed: [] as RenewalFailedEvent[],
    expired: [] as string[],
    emergency: [] as EmergencyAccessEvent[],
  };
  manager.on("login", (e) => events.login.push(e));
  manager.on("login-failed", (e) => events.failed.push(e));
  manager.on("fallback", (e) => events.fallback.push(e));
  manager.on("token-renewed", (e) => events.renewed.push(e));
  manager.on("renewal-failed", (e) => events.renewalFailed.push(e));
  manager.on("token-expired", (e) => events.expired.push(e.accessor ?? ""));
  manager.on("emergency-access", (e) => events.emergency.push(e));
  return { clock, requester, manager, events };
}

describe("TokenManager", () => {
  describe("login", () => {
    it("shares one login between concurrent callers (single-flight)", async () => {
      const approle = new ScriptedMethod("approle", "approle", 300);
      const { manager, requester } = setup([approle]);
      approle.hold();
      const callers = Array.from({ length: 25 }, () => manager.token());
      await flush();
      approle.open();
      const tokens = await Promise.all(callers);
      expect(approle.logins).toBe(1);
      expect(new Set(tokens)).toEqual(new Set(["approle-token-1"]));
      expect(requester.token).toBe("approle-token-1");
      expect(await manager.token()).toBe("approle-token-1");
      expect(approle.logins).toBe(1);
      await manager.stop();
    });

    it("a caller's signal stops its own wait with the signal's reason; the shared login goes on for the others", async () => {
      const approle = new ScriptedMethod("approle", "approle", 300);
      const { manager } = setup([approle]);
      approle.hold();
      const patient = manager.token();
      const controller = new AbortController();
      const impatient = manager.token({ signal: controller.signal });
      const relogin = new AbortController();
      const impatientLogin = manager.login({ signal: relogin.signal });
      await flush();
      controller.abort(new Error("request cancelled"));
      relogin.abort();
      await expect(impatient).rejects.toThrow("request cancelled");
      await expect(impatientLogin).rejects.toMatchObject({ name: "AbortError" });
      approle.open();
      expect(await patient).toBe("approle-token-1");
      expect(approle.logins).toBe(1);
      // Already aborted: rejected at once, no request.
      await expect(manager.token({ signal: AbortSignal.abort(new Error("gone")) })).rejects.toThrow("gone");
      await expect(manager.login({ signal: AbortSignal.abort(new Error("gone too")) })).rejects.toThrow("gone too");
      expect(approle.logins).toBe(1);
      // A signal that never fires changes nothing.
      expect(await manager.token({ signal: new AbortController().signal })).toBe("approle-token-1");
      await manager.stop();
    });

    it("falls back along the chain in order and emits login-failed, fallback and login", async () => {
      const kubernetes = new ScriptedMethod("kubernetes", "kubernetes", 300);
      const approle = new ScriptedMethod("approle", "approle", 300);
      kubernetes.fail = new Error("kubernetes login refused");
      const { manager, events } = setup([kubernetes, approle]);
      expect(await manager.token()).toBe("approle-token-1");
      expect(events.failed.map((e) => [e.method, e.chainIndex])).toEqual([["kubernetes", 0]]);
      expect(events.fallback.map((e) => [e.from, e.to])).toEqual([["kubernetes", "approle"]]);
      expect(events.login).toHaveLength(1);
      expect(events.login[0]).toMatchObject({ method: "approle", chainIndex: 1, reason: "initial", accessor: "approle-accessor-1" });
      expect(JSON.stringify(events.login[0])).not.toContain("approle-token-1");
      expect(manager.info?.method).toBe("approle");
      await manager.stop();
    });

    it("tries the preferred method first again on the next login", async () => {
      const kubernetes = new ScriptedMethod("kubernetes", "kubernetes", 300, false);
      const approle = new ScriptedMethod("approle", "approle", 300, false);
      kubernetes.fail = new Error("down");
      const { manager, clock, events } = setup([kubernetes, approle]);
      await manager.token();
      kubernetes.fail = undefined;
      await clock.fireNext();
      expect(kubernetes.logins).toBe(2);
      expect(events.login.map((e) => e.method)).toEqual(["approle", "kubernetes"]);
      expect(await manager.token()).toBe("kubernetes-token-2");
      await manager.stop();
    });

    it("throttles logins after a failed chain so retrying callers cannot cause a login storm", async () => {
      const approle = new ScriptedMethod("approle", "approle", 300);
      approle.fail = new Error("down");
      const { manager, clock } = setup([approle], { random: () => 0.999999, backoff: { minMs: 1_000, maxMs: 4_000 } });
      const first = await manager.token().catch((e: unknown) => e);
      expect(first).toBeInstanceOf(AuthChainError);
      for (let i = 0; i < 50; i++) expect(await manager.token().catch((e: unknown) => e)).toBe(first);
      expect(approle.logins).toBe(1);
      await clock.advance(999);
      await expect(manager.token()).rejects.toBe(first);
      await clock.advance(1);
      const second = await manager.token().catch((e: unknown) => e);
      expect(second).not.toBe(first);
      expect(approle.logins).toBe(2);
      await clock.advance(1_999);
      await expect(manager.token()).rejects.toBe(second);
      approle.fail = undefined;
      await clock.advance(1);
      expect(await manager.token()).toBe("approle-token-3");
      expect(approle.logins).toBe(3);
      await manager.stop();
    });

    it("forces a new login on demand, joining one already in flight", async () => {
      const approle = new ScriptedMethod("approle", "approle", 300);
      const { manager, events } = setup([approle]);
      await manager.token();
      approle.hold();
      const [a, b] = [manager.login(), manager.login()];
      expect(await manager.token()).toBe("approle-token-1");
      approle.open();
      expect((await a).clientToken).toBe("approle-token-2");
      expect((await b).clientToken).toBe("approle-token-2");
      expect(approle.logins).toBe(2);
      expect(events.login.map((e) => e.reason)).toEqual(["initial", "re-login"]);
      await manager.stop();
    });

    it("keeps going when a listener throws", async () => {
      const { manager, clock, requester, events } = setup([new ScriptedMethod("approle", "approle", 60)]);
      manager.on("login", () => {
        throw new Error("listener bug");
      });
      requester.handler = () => renewAnswer(60);
      expect(await manager.token()).toBe("approle-token-1");
      await clock.fireNext();
      expect(events.renewed).toHaveLength(1);
      await manager.stop();
    });

    it("rejects with an AuthChainError listing every failure in chain order", async () => {
      const kubernetes = new ScriptedMethod("kubernetes", "kubernetes", 300);
      const approle = new ScriptedMethod("approle", "approle", 300);
      kubernetes.fail = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
      approle.fail = new SyntaxError("Unexpected token 'e', \"eyJhbGciOi-secret-jwt\" is not valid JSON");
      const { manager, requester } = setup([kubernetes, approle]);
      const failure = await manager.token().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AuthChainError);
      // Errors that are not login errors (a credential provider's) keep only name and code: their
      // messages may quote the credential.
      expect((failure as AuthChainError).failures.map((f) => f.message)).toEqual([
        "kubernetes login at auth/kubernetes failed with no answer: Error ENOENT",
        "approle login at auth/approle failed with no answer: SyntaxError",
      ]);
      expect(JSON.stringify(failure) + String(failure)).not.toContain("eyJhbGciOi");
      expect(requester.token).toBeUndefined();
      await manager.stop();
    });
  });

  describe("renewal schedule", () => {
    it("renews at a random point of 50–80 % of the TTL by default, as an idempotent request bounded by half the time left", async () => {
      for (const [r, expected] of [
        [0, 150_000],
        [0.5, 195_000],
        [0.999, 239_910],
      ]) {
        const approle = new ScriptedMethod("approle", "approle", 300);
        const { manager, clock, requester } = setup([approle], { random: () => r, renewal: undefined });
        requester.handler = () => renewAnswer(300);
        await manager.token();
        const [delay] = clock.pending;
        expect(delay).toBeCloseTo(expected, 6);
        await clock.advance(delay - 1);
        expect(requester.count(RENEW)).toBe(0);
        await clock.advance(1);
        expect(requester.count(RENEW)).toBe(1);
        const index = requester.requests.findIndex((q) => q.path === RENEW);
        expect(requester.requests[index]).toMatchObject({
          method: "POST",
          path: RENEW,
          body: { increment: "300s" },
          unauthenticated: true,
          headers: { "x-vault-token": "approle-token-1" },
        });
        expect(requester.requests[index].signal).toBeInstanceOf(AbortSignal);
        // half of the 60–150 s left is more than the 30 s cap
        expect(requester.options[index]).toEqual({ idempotent: true, deadlineMs: 30_000 });
        await manager.stop();
      }
    });

    it("spreads a fleet that logged in together over the whole band from the first renewal on", async () => {
      const delays: number[] = [];
      for (let i = 0; i < 200; i++) {
        const { manager, clock } = setup([new ScriptedMethod("approle", "approle", 600)], { random: Math.random, renewal: undefined });
        await manager.token();
        delays.push(clock.pending[0]);
        await manager.stop();
      }
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(300_000);
      expect(Math.max(...delays)).toBeLessThanOrEqual(480_000);
      // 200 renewals over 180 s: no 10-second window of the band holds more than a fifth of them.
      const perWindow = new Map<number, number>();
      for (const d of delays) perWindow.set(Math.floor(d / 10_000), (perWindow.get(Math.floor(d / 10_000)) ?? 0) + 1);
      expect(perWindow.size).toBeGreaterThanOrEqual(15);
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(40);
    });

    it("keeps renewing while Vault grants the full increment, emitting token-renewed", async () => {
      const { manager, clock, requester, events } = setup([new ScriptedMethod("approle", "approle", 60)]);
      requester.handler = () => renewAnswer(60);
      await manager.token();
      for (let i = 0; i < 5; i++) await clock.fireNext();
      expect(requester.count(RENEW)).toBe(5);
      expect(events.renewed).toHaveLength(5);
      expect(events.renewed.every((e) => e.ttlSeconds === 60 && !e.truncated)).toBe(true);
      expect(events.login).toHaveLength(1);
      await manager.stop();
    });

    it("logs in again instead of renewing once the max TTL truncates a renewal", async () => {
      const approle = new ScriptedMethod("approle", "approle", 60);
      const { manager, clock, requester, events } = setup([approle]);
      const ttls = [60, 25];
      requester.handler = () => renewAnswer(ttls.shift() ?? 60);
      await manager.token();
      await clock.fireNext();
      await clock.fireNext();
      expect(events.renewed.map((e) => e.truncated)).toEqual([false, true]);
      const renewalsBefore = requester.count(RENEW);
      const delay = await clock.fireNext();
      expect(delay).toBeCloseTo(25_000 * (2 / 3), 0);
      expect(requester.count(RENEW)).toBe(renewalsBefore);
      expect(approle.logins).toBe(2);
      expect(events.login.map((e) => e.reason)).toEqual(["initial", "re-login"]);
      expect(requester.token).toBe("approle-token-2");
      await manager.stop();
    });

    it("replaces a non-renewable token at two thirds of its TTL without calling renew-self", async () => {
      const approle = new ScriptedMethod("approle", "approle", 90, false);
      const { manager, clock, requester } = setup([approle]);
      await manager.token();
      expect(clock.pending[0]).toBeCloseTo(60_000, 0);
      await clock.fireNext();
      expect(requester.count(RENEW)).toBe(0);
      expect(approle.logins).toBe(2);
      await manager.stop();
    });

    it("does not schedule anything for a token without TTL", async () => {
      const { manager, clock } = setup([new ScriptedMethod("token", "token", 0)]);
      await manager.token();
      expect(clock.pending).toEqual([]);
      expect(manager.info?.expiresAt).toBe(Infinity);
      await manager.stop();
    });

    it("re-logs in at once when Vault refuses the renewal, keeping the old token until then", async () => {
      const approle = new ScriptedMethod("approle", "approle", 300);
      const { manager, clock, requester, events } = setup([approle]);
      requester.handler = () => {
        throw new VaultHttpError("POST", RENEW, 403, ["permission denied"], "req-1");
      };
      approle.hold();
      const first = manager.token();
      approle.open();
      await first;
      approle.hold();
      await clock.fireNext();
      expect(events.renewalFailed).toHaveLength(1);
      expect(events.renewalFailed[0].retryInMs).toBeUndefined();
      expect(approle.logins).toBe(2);
      expect(await manager.token()).toBe("approle-token-1");
      approle.open();
      await flush();
      expect(await manager.token()).toBe("approle-token-2");
      expect(requester.count(RENEW)).toBe(1);
      await manager.stop();
    });
  });

  describe("renewal failures", () => {
    it("backs off exponentially with a cap and counts every attempt", async () => {
      const approle = new ScriptedMethod("approle", "approle", 3600);
      const { manager, clock, requester, events } = setup([approle], {
        random: () => 0.999999,
        backoff: { minMs: 1_000, maxMs: 30_000, multiplier: 2 },
      });
      requester.handler = () => outage();
      await manager.token();
      await clock.fireNext();
      const gaps: number[] = [];
      for (let i = 0; i < 9; i++) gaps.push(Math.round(await clock.fireNext()));
      expect(requester.count(RENEW)).toBe(10);
      expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
      expect(events.renewalFailed.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(approle.logins).toBe(1);
      await manager.stop();
    });

    it("jitters each backoff delay into the upper half of its ceiling", async () => {
      const { manager, clock, requester, events } = setup([new ScriptedMethod("approle", "approle", 3600)], {
        random: Math.random,
        backoff: { minMs: 1_000, maxMs: 16_000, multiplier: 2 },
      });
      requester.handler = () => outage();
      await manager.token();
      for (let i = 0; i < 8; i++) await clock.fireNext();
      const delays = events.renewalFailed.map((e) => e.retryInMs ?? -1);
      const ceilings = [1_000, 2_000, 4_000, 8_000, 16_000, 16_000, 16_000, 16_000];
      delays.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(ceilings[i] / 2);
        expect(d).toBeLessThanOrEqual(ceilings[i]);
      });
      await manager.stop();
    });

    it("never drops a token that is still valid, tries a last login before expiry, and drops it at expiry", async () => {
      const approle = new ScriptedMethod("approle", "approle", 120);
      const { manager, clock, requester, events } = setup([approle], { random: () => 0.999999 });
      requester.handler = () => outage();
      await manager.token();
      const expiresAt = manager.info?.expiresAt ?? 0;
      approle.fail = new Error("vault is down");
      while (clock.now() + (clock.pending[0] ?? Infinity) < expiresAt) {
        await clock.fireNext();
        expect(requester.token).toBe("approle-token-1");
        expect(events.expired).toEqual([]);
      }
      // renewals at ~88 s, then +1, +2, +4, +8, +16 s; the next (+32 s) would pass expiry
      expect(requester.count(RENEW)).toBe(6);
      expect(events.renewalFailed.map((e) => e.retryInMs === undefined)).toEqual([false, false, false, false, false, true]);
      // so one last login was tried half-way to expiry, and failed
      expect(approle.logins).toBe(2);
      expect(await manager.token()).toBe("approle-token-1");
      await clock.advance(expiresAt - clock.now());
      expect(events.expired).toEqual(["approle-accessor-1"]);
      expect(requester.token).toBeUndefined();
      // the login backoff (1 s after the last attempt) has not passed yet: no new attempt at expiry
      expect(approle.logins).toBe(2);
      expect(requester.count(RENEW)).toBe(6);
      approle.fail = undefined;
      await clock.fireNext();
      expect(requester.token).toBe("approle-token-3");
      expect(events.login.map((e) => e.reason)).toEqual(["initial", "after-expiry"]);
      await manager.stop();
    });

    it("gets a fresh token before expiry when only renewal keeps failing", async () => {
      const approle = new ScriptedMethod("approle", "approle", 120);
      const { manager, clock, requester, events } = setup([approle], { random: () => 0.999999 });
      requester.handler = () => outage();
      await manager.token();
      const expiresAt = manager.info?.expiresAt ?? 0;
      while (approle.logins < 2) await clock.fireNext();
      expect(clock.now()).toBeLessThan(expiresAt);
      expect(requester.token).toBe("approle-token-2");
      expect(events.expired).toEqual([]);
      expect(events.login.map((e) => e.reason)).toEqual(["initial", "re-login"]);
      await manager.stop();
    });

    it("backs off re-login attempts while the old token is still valid", async () => {
      const approle = new ScriptedMethod("approle", "approle", 600, false);
      const { manager, clock, requester } = setup([approle], { random: () => 0.999999, backoff: { minMs: 2_000, maxMs: 8_000 } });
      await manager.token();
      approle.fail = new Error("down");
      await clock.fireNext();
      const gaps: number[] = [];
      for (let i = 0; i < 4; i++) gaps.push(Math.round(await clock.fireNext()));
      expect(gaps).toEqual([2_000, 4_000, 8_000, 8_000]);
      expect(approle.logins).toBe(6);
      expect(requester.token).toBe("approle-token-1");
      await manager.stop();
    });
  });

  describe("stop and break-glass", () => {
    it("clears every timer on stop and refuses further use", async () => {
      const { manager, clock, requester } = setup([new ScriptedMethod("approle", "approle", 300)]);
      await manager.token();
      expect(clock.pending).toHaveLength(1);
      await manager.stop();
      expect(clock.pending).toEqual([]);
      expect(requester.count("auth/token/revoke-self")).toBe(0);
      await expect(manager.token()).rejects.toThrow("the token manager is stopped");
    });

    it("revokes the token on stop when asked to", async () => {
      const { manager, requester } = setup([new ScriptedMethod("approle", "approle", 300)], { revokeOnStop: true });
      const revoked: string[] = [];
      manager.on("token-revoked", (e) => revoked.push(e.accessor ?? ""));
      await manager.token();
      await manager.stop();
      expect(requester.count("auth/token/revoke-self")).toBe(1);
      expect(revoked).toEqual(["approle-accessor-1"]);
      expect(requester.token).toBeUndefined();
    });

    it("audits every use of the break-glass path without the token", async () => {
      const { manager, requester, events } = setup([new ScriptedMethod("approle", "approle", 300)]);
      const wrapping = "wrapping-token-secret";
      requester.handler = (req) => {
        if (req.path === "sys/wrapping/lookup") return { status: 200, body: { data: { creation_path: "auth/token/create" } } };
        if (req.path === "sys/wrapping/unwrap") {
          return {
            status: 200,
            body: {
              auth: {
                client_token: "emergency-client-token",
                accessor: "em-acc",
                policies: ["emergency"],
                lease_duration: 900,
                renewable: true,
              },
            },
          };
        }
        return renewAnswer(900);
      };
      const result = await manager.breakGlass({ wrappingToken: wrapping, operator: "alice", reason: "INC-42" });
      expect(result.clientToken).toBe("emergency-client-token");
      expect(requester.token).toBe("emergency-client-token");
      expect(events.emergency).toHaveLength(1);
      expect(events.emergency[0]).toMatchObject({ operator: "alice", reason: "INC-42", outcome: "granted", accessor: "em-acc" });
      expect(events.emergency[0].at).toBe(new Date(1_700_000_000_000).toISOString());
      expect(events.login[0]).toMatchObject({ method: "break-glass", reason: "emergency" });
      const audit = JSON.stringify(events.emergency);
      expect(audit).not.toContain(wrapping);
      expect(audit).not.toContain("emergency-client-token");

      requester.handler = (req) =>
        req.path === "sys/wrapping/lookup" ? { status: 200, body: { data: { creation_path: "secret/data/app" } } } : renewAnswer(1);
      await expect(manager.breakGlass({ wrappingToken: "other-wrapping", operator: "bob", reason: "INC-43" })).rejects.toThrow(
        /not by a token-creating auth endpoint/,
      );
      expect(events.emergency[1]).toMatchObject({ operator: "bob", outcome: "refused", accessor: undefined });
      expect(requester.token).toBe("emergency-client-token");
      expect(requester.count("sys/wrapping/unwrap")).toBe(1);
      await manager.stop();
    });
  });
});

describe("TokenManager options", () => {
  const method = new ScriptedMethod("approle", "approle", 300);

  it.each([
    [{ backoff: { maxMs: 500 } }, "backoff needs 0 < minMs <= maxMs, got minMs=1000 maxMs=500"],
    [{ renewal: { earliest: 0 } }, "renewal.earliest must be in (0, 1), got 0"],
    [{ renewal: { earliest: 0.7, latest: 0.6 } }, "renewal.latest must be in [renewal.earliest, 1), got 0.6"],
    [{ renewal: { latest: 1 } }, "renewal.latest must be in [renewal.earliest, 1), got 1"],
  ])("refuses %p at construction", (options, message) => {
    expect(() => new TokenManager({ requester: new ScriptedRequester(), methods: [method], ...options })).toThrow(message);
  });
});

describe("TokenManager near expiry", () => {
  it("hands out the still-valid token in its last moments when a new login fails, instead of an error", async () => {
    const approle = new ScriptedMethod("approle", "approle", 10);
    const clock = new FakeClock();
    const requester = new ScriptedRequester();
    requester.handler = () => {
      throw new VaultConnectionError("POST", "auth/token/renew-self", "http://127.0.0.1:1", new Error("ECONNREFUSED"));
    };
    const manager = new TokenManager({ requester, methods: [approle], clock, random: () => 0.5, renewal: NARROW });
    const first = await manager.token();
    approle.fail = new Error("auth backend down");
    await clock.advance(9_500);
    expect(await manager.token()).toBe(first);
    expect(approle.logins).toBeGreaterThan(1);
    await clock.advance(600);
    await expect(manager.token()).rejects.toBeInstanceOf(AuthChainError);
    await manager.stop();
  });

  it("replaces a token in its last moments rather than handing out one about to die", async () => {
    const approle = new ScriptedMethod("approle", "approle", 10);
    const clock = new FakeClock();
    const requester = new ScriptedRequester();
    requester.handler = () => {
      throw new VaultConnectionError("POST", "auth/token/renew-self", "http://127.0.0.1:1", new Error("ECONNREFUSED"));
    };
    const manager = new TokenManager({ requester, methods: [approle], clock, random: () => 0.5, renewal: NARROW });
    const first = await manager.token();
    // Renewals keep failing; the last-chance login would come at ~9.46 s. At 9.3 s the token is
    // inside its last second (10 % of 10 s): token() logs in instead of handing it out.
    await clock.advance(9_300);
    expect(approle.logins).toBe(1);
    const fresh = await manager.token();
    expect(fresh).not.toBe(first);
    expect(approle.logins).toBe(2);
    expect(manager.info?.expiresAt).toBe(clock.now() + 10_000);
    await manager.stop();
  });
});

describe("TokenManager when a request with its token is refused (403)", () => {
  const LOOKUP = "auth/token/lookup-self";
  const denied = (req: VaultRequest): never => {
    throw new VaultHttpError(req.method, req.path, 403, ["permission denied"], undefined);
  };

  it("checks the token once per burst and keeps it when the server still knows it (a policy denial)", async () => {
    const approle = new ScriptedMethod("approle", "approle", 3600);
    const { manager, requester, clock, events } = setup([approle]);
    await manager.token();
    requester.handler = () => ({ status: 200, body: { data: {} } });
    for (let i = 0; i < 20; i++) requester.refuse();
    await flush();
    expect(requester.count(LOOKUP)).toBe(1);
    expect(requester.requests.find((r) => r.path === LOOKUP)?.headers?.["x-vault-token"]).toBe("approle-token-1");
    await clock.advance(999);
    requester.refuse();
    await flush();
    expect(requester.count(LOOKUP)).toBe(1);
    await clock.advance(1);
    requester.refuse();
    await flush();
    expect(requester.count(LOOKUP)).toBe(2);
    expect(approle.logins).toBe(1);
    expect(events.expired).toEqual([]);
    await manager.stop();
    expect(requester.refusalListenerCount).toBe(0);
  });

  it("drops a token the server no longer knows and logs in at once", async () => {
    const approle = new ScriptedMethod("approle", "approle", 3600);
    const { manager, requester, events } = setup([approle]);
    await manager.token();
    requester.handler = (req) => (req.path === LOOKUP ? denied(req) : { status: 204, body: undefined });
    requester.refuse();
    await flush();
    expect(events.expired).toEqual(["approle-accessor-1"]);
    expect(approle.logins).toBe(2);
    expect(events.login.map((e) => e.reason)).toEqual(["initial", "after-expiry"]);
    expect(requester.token).toBe("approle-token-2");
    await manager.stop();
  });

  it("leaves the token alone when the check cannot reach the server, and ignores refusals before a login", async () => {
    const approle = new ScriptedMethod("approle", "approle", 3600);
    const { manager, requester, events } = setup([approle]);
    requester.refuse();
    await flush();
    expect(requester.count(LOOKUP)).toBe(0);
    await manager.token();
    requester.handler = (req) => {
      if (req.path === LOOKUP) outage();
      return { status: 204, body: undefined };
    };
    requester.refuse();
    await flush();
    expect(requester.count(LOOKUP)).toBe(1);
    expect(events.expired).toEqual([]);
    expect(approle.logins).toBe(1);
    await manager.stop();
  });
});

describe("TokenManager when the server comes back", () => {
  it("logs in at once when the requester reports recovery, instead of waiting out the login backoff", async () => {
    const approle = new ScriptedMethod("approle", "approle", 60);
    approle.fail = new Error("down");
    const { manager, clock, requester, events } = setup([approle], { random: () => 0.999999, backoff: { minMs: 30_000, maxMs: 60_000 } });
    const failure = await manager.token().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthChainError);
    await expect(manager.token()).rejects.toBe(failure);
    approle.fail = undefined;
    requester.recover();
    await clock.advance(0);
    expect(approle.logins).toBe(2);
    expect(requester.token).toBe("approle-token-2");
    expect(await manager.token()).toBe("approle-token-2");
    expect(events.login.map((e) => e.reason)).toEqual(["initial"]);
    await manager.stop();
  });

  it("renews at once on recovery after failed renewals, keeping the same token", async () => {
    const approle = new ScriptedMethod("approle", "approle", 600);
    const { manager, clock, requester, events } = setup([approle], { backoff: { minMs: 20_000, maxMs: 60_000 } });
    requester.handler = () => outage();
    await manager.token();
    await clock.fireNext();
    expect(events.renewalFailed).toHaveLength(1);
    requester.handler = () => renewAnswer(600);
    requester.recover();
    await clock.advance(0);
    expect(events.renewed).toHaveLength(1);
    expect(requester.count(RENEW)).toBe(2);
    expect(requester.token).toBe("approle-token-1");
    expect(approle.logins).toBe(1);
    await manager.stop();
  });

  it("does nothing on recovery when upkeep is on schedule, and stops listening when stopped", async () => {
    const approle = new ScriptedMethod("approle", "approle", 600);
    const { manager, clock, requester } = setup([approle]);
    expect(requester.recoveryListenerCount).toBe(1);
    await manager.token();
    const pending = clock.pending;
    requester.recover();
    await clock.advance(0);
    expect(clock.pending).toEqual(pending);
    expect(requester.requests).toHaveLength(0);
    await manager.stop();
    expect(requester.recoveryListenerCount).toBe(0);
  });

  it("bounds a re-login by the old token's remaining life, and leaves a login without a valid token to the requester", async () => {
    const sent: { path: string; deadlineMs: number | undefined; signal: boolean }[] = [];
    let n = 0;
    const method = {
      name: "approle",
      mountPath: "approle",
      async login(requester: VaultRequester): Promise<AuthResult> {
        const req: VaultRequest = { method: "POST", path: "auth/approle/login", unauthenticated: true };
        await requester.send(req, { deadlineMs: 20_000 });
        n++;
        return { ...(await new ScriptedMethod("approle", "approle", 10, false).login()), clientToken: `t-${n}` };
      },
    };
    const clock = new FakeClock();
    const requester = new ScriptedRequester();
    requester.handler = () => ({ status: 200, body: undefined });
    const inner = requester.send.bind(requester);
    requester.send = <T>(req: VaultRequest, options?: SendOptions): Promise<VaultResponse<T>> => {
      sent.push({ path: req.path, deadlineMs: options?.deadlineMs, signal: req.signal !== undefined });
      return inner<T>(req, options);
    };
    const manager = new TokenManager({ requester, methods: [method], clock, random: () => 0.5, renewal: { earliest: 0.6, latest: 0.6 } });
    await manager.token();
    await clock.fireNext(); // non-renewable: replaced at 6 s, with 4 s left
    expect(sent).toEqual([
      { path: "auth/approle/login", deadlineMs: 20_000, signal: false },
      { path: "auth/approle/login", deadlineMs: 2_000, signal: true },
    ]);
    expect(requester.token).toBe("t-2");
    await manager.stop();
  });
});
