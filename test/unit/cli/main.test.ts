import { main } from "../../../cli/main";
import { CliIo } from "../../../cli/cli-io";

function capture(cwd = process.cwd()): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd };
}

describe("main", () => {
  it("prints usage and exits 2 without a command, 0 for help", async () => {
    const io = capture();
    expect(await main([], io)).toBe(2);
    expect(io.out.join("")).toContain("usage: vaultsmith <command>");
    expect(await main(["--help"], capture())).toBe(0);
  });

  it("refuses unknown commands and subcommands with exit 2", async () => {
    const io = capture();
    expect(await main(["nope"], io)).toBe(2);
    expect(io.err.join("")).toContain('unknown command "nope"');
    const sub = capture();
    expect(await main(["policy", "nope"], sub)).toBe(2);
    expect(sub.err.join("")).toContain('unknown subcommand "nope"');
  });

  it("reports unknown options as usage errors", async () => {
    const io = capture();
    expect(await main(["policy", "diff", "a", "b", "--bogus"], io)).toBe(2);
    expect(io.err.join("")).toContain("Unknown option '--bogus'");
  });
});
