import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { renderGraph } from "../../../constructs/cdktf/graph-renderer";
import { VaultStack } from "../../../constructs/cdktf/vault-stack";
import { loadEstateYaml } from "../../../model/estate-loader";
import { compileEstate } from "../../../model/graph-estate";
import { buildEstate } from "../../../stacks/estate-constructs";

describe("buildEstate", () => {
  const estate = loadEstateYaml(readFileSync(join(__dirname, "../../fixtures/constructs/full-estate.yaml"), "utf8"), { env: {} });

  it("the constructs synthesize exactly the model's resource graph (every resource kind, nested namespaces)", () => {
    const viaConstructs = new VaultStack(Testing.app(), "estate", { target: estate.target });
    const built = buildEstate(viaConstructs, estate);
    const viaGraph = new VaultStack(Testing.app(), "estate", { target: estate.target });
    renderGraph(viaGraph, compileEstate(estate).resources);
    const a = JSON.parse(Testing.synth(viaConstructs, true)) as { resource: Record<string, object> };
    const b = JSON.parse(Testing.synth(viaGraph)) as { resource: Record<string, object> };
    expect(Object.keys(a.resource).length).toBe(30);
    expect(a).toEqual(b);
    expect([...built.pkiRoles.keys()].sort()).toEqual(["client-cert", "code-signing", "server-cert"]);
    expect([...built.namespaces.keys()]).toEqual(["tenant-a", "tenant-a/team-1"]);
  });
});
