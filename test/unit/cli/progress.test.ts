import { CliIo, ProgressStream } from "../../../cli/cli-io";
import { spinnerEnabled, withProgress } from "../../../cli/progress";
import { FakeTerminal } from "../../support/fake-terminal";

function io(progress: ProgressStream | undefined, env: Record<string, string> = {}): CliIo {
  return { stdout: () => undefined, stderr: () => undefined, env, cwd: "/", progress };
}

describe("spinnerEnabled", () => {
  it("draws only on a terminal, outside CI and not with TERM=dumb", () => {
    expect(spinnerEnabled(new FakeTerminal(), {})).toBe(true);
    expect(spinnerEnabled(new FakeTerminal(false), {})).toBe(false);
    expect(spinnerEnabled(undefined, {})).toBe(false);
    expect(spinnerEnabled(new FakeTerminal(), { CI: "" })).toBe(false);
    expect(spinnerEnabled(new FakeTerminal(), { CI: "true" })).toBe(false);
    expect(spinnerEnabled(new FakeTerminal(), { TERM: "dumb" })).toBe(false);
    expect(spinnerEnabled(new FakeTerminal(), { TERM: "xterm-256color" })).toBe(true);
  });
});

describe("withProgress", () => {
  it("on a terminal: shows the label while the work runs, clears the line when it ends, returns its result", async () => {
    const terminal = new FakeTerminal();
    let release!: (value: string) => void;
    const running = withProgress(io(terminal), "asking the server", () => new Promise<string>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(terminal.events.some((e) => e.startsWith("write:") && e.includes("asking the server"))).toBe(true);
    release("answer");
    await expect(running).resolves.toBe("answer");
    const lastLabel = terminal.events.map((e) => e.includes("asking the server")).lastIndexOf(true);
    expect(terminal.events.slice(lastLabel + 1)).toContain("clear");
  });

  it("on a terminal: a failing work's error comes through and the line is cleared", async () => {
    const terminal = new FakeTerminal();
    await expect(withProgress(io(terminal), "waiting", () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    const lastLabel = terminal.events.map((e) => e.includes("waiting")).lastIndexOf(true);
    expect(lastLabel).toBeGreaterThanOrEqual(0);
    expect(terminal.events.slice(lastLabel + 1)).toContain("clear");
  });

  it("piped, under CI or without a stream: writes nothing and still returns the result", async () => {
    for (const [stream, env] of [
      [new FakeTerminal(false), {}],
      [new FakeTerminal(), { CI: "1" }],
    ] as const) {
      await expect(withProgress(io(stream, env), "label", () => Promise.resolve(7))).resolves.toBe(7);
      expect(stream.events).toEqual([]);
    }
    await expect(withProgress(io(undefined), "label", () => Promise.resolve(8))).resolves.toBe(8);
  });
});
