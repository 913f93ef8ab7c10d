import { Testing } from "cdktf";
import { renderGraph } from "../../../constructs/cdktf/graph-renderer";
import { SshSecrets as CdktfSsh } from "../../../constructs/cdktf/ssh-secrets";
import { VaultStack } from "../../../constructs/cdktf/vault-stack";
import { SshSecrets as PulumiSsh } from "../../../constructs/pulumi/ssh-secrets";
import { VaultStack as PulumiStack } from "../../../constructs/pulumi/vault-stack";
import { loadEstateYaml } from "../../../model/estate-loader";
import { compileEstate } from "../../../model/graph-estate";
import { buildEstate } from "../../../stacks/estate-constructs";
import { buildEstate as buildPulumiEstate } from "../../../stacks/pulumi/estate-components";
import { PULUMI_MAPPINGS } from "../../../constructs/pulumi/graph-renderer";
import { registered, settle, useMocks } from "../constructs/pulumi/pulumi-harness";

/** An estate with a kind added after the restructure (SSH), written as a user writes YAML. */
const YAML = `
target: { edition: openbao, version: 2.6.1 }
kv: [{ mount: secret }]
ssh:
  - mount: ssh-client
    roles:
      - { name: deploy, certType: user, allowedUsers: [deploy], ttl: 30m }
policies: [{ name: ops, rules: [{ path: ssh-client/sign/deploy, capabilities: [update] }] }]
`;

describe("buildEstateWith (one builder, an engine factory each)", () => {
  const estate = loadEstateYaml(YAML, { env: {} });

  it("CDKTF: the estate's SSH engine is built as SshSecrets under owner ssh-<mount>, equal to the compiled graph", () => {
    const viaConstructs = new VaultStack(Testing.app(), "estate", { target: estate.target });
    const built = buildEstate(viaConstructs, estate);
    const viaGraph = new VaultStack(Testing.app(), "estate", { target: estate.target });
    renderGraph(viaGraph, compileEstate(estate).resources);
    const a = JSON.parse(Testing.synth(viaConstructs)) as { resource: Record<string, object> };
    expect(a).toEqual(JSON.parse(Testing.synth(viaGraph)));
    expect(Object.keys(a.resource).sort()).toEqual([
      "vault_kv_secret_backend_v2",
      "vault_mount",
      "vault_policy",
      "vault_ssh_secret_backend_ca",
      "vault_ssh_secret_backend_role",
    ]);
    const ssh = built.ssh.get("ssh-client");
    expect(ssh).toBeInstanceOf(CdktfSsh);
    expect(ssh?.node.id).toBe("ssh-ssh-client");
    expect(built.kv.get("secret")?.mountPath).toBe("secret");
  });

  it("Pulumi: the same walk builds SshSecrets named <stack>-ssh-<mount>, one resource per descriptor", async () => {
    await useMocks();
    const built = buildPulumiEstate(new PulumiStack("estate", { target: estate.target }), estate);
    await settle();
    const tokens = new Map(Object.entries(PULUMI_MAPPINGS).map(([tf, m]) => [m.token, tf]));
    const got = registered()
      .filter((r) => tokens.has(r.type))
      .map((r) => `${tokens.get(r.type)} ${r.name}`)
      .sort();
    const want = compileEstate(estate)
      .resources.map((d) => `${d.type} estate-${d.id.replace(".", "-")}`)
      .sort();
    expect(got).toEqual(want);
    const ssh = built.ssh.get("ssh-client");
    expect(ssh).toBeInstanceOf(PulumiSsh);
    expect(ssh?.componentName).toBe("estate-ssh-ssh-client");
    expect(built.policies.get("ops")?.policyName).toBe("ops");
  });
});
