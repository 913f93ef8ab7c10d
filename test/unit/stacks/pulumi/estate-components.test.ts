import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEstateYaml } from "../../../../model/estate-loader";
import { compileEstate } from "../../../../model/graph-estate";
import { PULUMI_MAPPINGS } from "../../../../constructs/pulumi/graph-renderer";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { buildEstate } from "../../../../stacks/pulumi/estate-components";
import { registered, settle, useMocks } from "../../constructs/pulumi/pulumi-harness";

const SECRETS = ["cassandra_admin_password", "postgres_password", "ldap_bindpass"];

describe("buildEstate (Pulumi)", () => {
  it("registers one resource per descriptor of the compiled graph, named <stack>-<logical id>", async () => {
    const estate = loadEstateYaml(readFileSync(join(__dirname, "../../../fixtures/constructs/full-estate.yaml"), "utf8"), { env: {} });
    await useMocks(Object.fromEntries(SECRETS.map((s) => [s, "x"])), SECRETS);
    const built = buildEstate(new VaultStack("estate", { target: estate.target }), estate);
    await settle();
    const tokens = new Map(Object.entries(PULUMI_MAPPINGS).map(([tf, m]) => [m.token, tf]));
    const got = registered()
      .filter((r) => tokens.has(r.type))
      .map((r) => `${tokens.get(r.type)} ${r.name}`)
      .sort();
    const want = compileEstate(estate)
      .resources.map((d) => `${d.type} estate-${d.id.replace(/\//g, "-").replace(".", "-")}`)
      .sort();
    expect(got).toEqual(want);
    expect([...built.pkiRoles.keys()].sort()).toEqual(["client-cert", "code-signing", "server-cert"]);
    expect(built.appRole?.path).toBe("approle");
  });
});
