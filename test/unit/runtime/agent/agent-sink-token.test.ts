/**
 * AgentSinkToken on a sink file the test writes the way an agent does (temp file + rename): the
 * first token, a replaced token seen by watch or poll, a re-read on a refusal, a file that is
 * briefly unreadable, and nothing after stop(). The real agent is in the integration test.
 */
import { once } from "node:events";
import { mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentSinkError, AgentSinkToken, AgentTokenChangedEvent } from "../../../../runtime/agent/agent-sink-token";

/** A client stand-in that records the tokens it is given and lets the test signal a refusal. */
function recorder(): { tokens: (string | undefined)[]; refuse: () => void; client: Parameters<typeof AgentSinkToken.start>[0]["client"] } {
  const tokens: (string | undefined)[] = [];
  const listeners = new Set<() => void>();
  return {
    tokens,
    refuse: () => listeners.forEach((l) => l()),
    client: {
      setToken: (t) => void tokens.push(t),
      requester: {
        onTokenRefused: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      },
    },
  };
}

describe("AgentSinkToken", () => {
  let dir: string;
  let sink: string;
  const replace = async (token: string): Promise<void> => {
    const temp = join(dir, `.tmp-${Math.random()}`);
    await writeFile(temp, `${token}\n`, { mode: 0o600 });
    await rename(temp, sink);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vaultsmith-sink-unit-"));
    sink = join(dir, "token");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("waits for the first token, then follows replacements of the file", async () => {
    const r = recorder();
    const starting = AgentSinkToken.start({ path: sink, client: r.client, pollIntervalMs: 50, waitForTokenMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(r.tokens).toEqual([]);
    await replace("s.first");
    const follower = await starting;
    try {
      expect(r.tokens).toEqual(["s.first"]);
      expect(follower.token()).toBe("s.first");
      const changed = once(follower, "changed");
      await replace("s.second");
      const [event] = (await changed) as [AgentTokenChangedEvent];
      expect(event.path).toBe(sink);
      expect(["watch", "poll"]).toContain(event.cause);
      expect(follower.token()).toBe("s.second");
      expect(r.tokens).toEqual(["s.first", "s.second"]);
      // The same token written again is no change.
      await replace("s.second");
      await follower.refresh();
      expect(r.tokens).toEqual(["s.first", "s.second"]);
    } finally {
      follower.stop();
    }
  });

  it("re-reads at once when the server refuses the token, and keeps the token while the file is missing", async () => {
    await replace("s.one");
    const r = recorder();
    // A poll too slow to matter: the refusal is what makes it look.
    const follower = await AgentSinkToken.start({ path: sink, client: r.client, pollIntervalMs: 60_000 });
    follower.stop(); // no watcher, no poll …
    const again = await AgentSinkToken.start({ path: sink, client: r.client, pollIntervalMs: 60_000 });
    const errors: AgentSinkError[] = [];
    again.on("error", (e) => void errors.push(e));
    try {
      await unlink(sink);
      await again.refresh();
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0]).toBeInstanceOf(AgentSinkError);
      expect(again.token()).toBe("s.one");
      await writeFile(sink, "s.two", { mode: 0o600 });
      const changed = once(again, "changed");
      r.refuse();
      const [event] = (await changed) as [AgentTokenChangedEvent];
      expect(["refused", "watch"]).toContain(event.cause);
      expect(again.token()).toBe("s.two");
    } finally {
      again.stop();
    }
    // The first follower was stopped before any change: it still holds the first token.
    expect(follower.token()).toBe("s.one");
  });

  it("changes nothing after stop()", async () => {
    await replace("s.a");
    const r = recorder();
    const follower = await AgentSinkToken.start({ path: sink, client: r.client, pollIntervalMs: 20 });
    follower.stop();
    await replace("s.b");
    await new Promise((resolve) => setTimeout(resolve, 120));
    r.refuse();
    await follower.refresh();
    expect(r.tokens).toEqual(["s.a"]);
    expect(follower.token()).toBe("s.a");
  });
});
