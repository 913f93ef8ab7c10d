import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireServerBinary, selectedFlavors } from "../../support/server-binaries";

describe("selectedFlavors", () => {
  it.each([
    [undefined, ["openbao"]],
    ["", ["openbao"]],
    ["both", ["openbao", "vault"]],
    ["OpenBao", ["openbao"]],
    [" vault ", ["vault"]],
  ])("reads VAULTSMITH_SERVER=%p", (value, expected) => {
    expect(selectedFlavors(value)).toEqual(expected);
  });

  it("rejects an unknown server with the accepted values", () => {
    expect(() => selectedFlavors("consul")).toThrow('VAULTSMITH_SERVER must be openbao, vault or both; got "consul"');
  });
});

describe("requireServerBinary", () => {
  const saved = process.env.VAULTSMITH_CACHE_DIR;
  let empty: string;

  beforeEach(() => {
    empty = mkdtempSync(join(tmpdir(), "vaultsmith-empty-cache-"));
    process.env.VAULTSMITH_CACHE_DIR = empty;
  });

  afterEach(() => {
    rmSync(empty, { recursive: true, force: true });
    if (saved === undefined) delete process.env.VAULTSMITH_CACHE_DIR;
    else process.env.VAULTSMITH_CACHE_DIR = saved;
  });

  it("fails with the path and the command that builds the missing server", () => {
    expect(() => requireServerBinary("openbao")).toThrow(
      `openbao 2.6.1 is not built: ${join(empty, "bin", "bao-2.6.1")} is missing. Build it with \`npm run servers:build openbao\`.`,
    );
  });
});
