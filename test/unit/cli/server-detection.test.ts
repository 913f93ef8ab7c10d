import { describeDetected, detectServer, interpretHealth, namespacesAvailable } from "../../../cli/server-detection";

describe("server detection", () => {
  it("edition and version from sys/health", () => {
    expect(interpretHealth({ version: "1.21.4", enterprise: false })).toEqual({ edition: "vault-ce", version: "1.21.4" });
    expect(interpretHealth({ version: "1.21.4+ent", enterprise: true })).toEqual({ edition: "vault-enterprise", version: "1.21.4" });
    expect(interpretHealth({ version: "v2.6.1" })).toEqual({ edition: "openbao", version: "2.6.1" });
    expect(() => interpretHealth({})).toThrow("sys/health reported no usable version (null)");
  });

  it("namespace probe: 200 or an empty 404 list means yes, 'unsupported path' means no", () => {
    expect(namespacesAvailable(200, "{}")).toBe(true);
    expect(namespacesAvailable(404, '{"errors":[]}')).toBe(true);
    expect(namespacesAvailable(404, '{"errors":["1 error occurred:\\n\\t* unsupported path\\n\\n"]}')).toBe(false);
    expect(namespacesAvailable(403, '{"errors":["permission denied"]}')).toBe(false);
    expect(namespacesAvailable(404, "not json")).toBe(false);
  });

  it("summarises features", () => {
    expect(describeDetected({ edition: "vault-ce", version: "1.21.4" }, false).summary).toBe(
      "Vault CE 1.21.4: namespaces no, sentinel-policies no, lease-count-quotas no, api-audit-devices yes",
    );
    expect(describeDetected({ edition: "openbao", version: "2.6.1" }, true).features["api-audit-devices"]).toBe(false);
  });

  it("reads health then probes namespaces with the token", async () => {
    const calls: string[] = [];
    const fake = async (url: string, init: { headers: Record<string, string> }) => {
      calls.push(`${url} ${init.headers["x-vault-token"] ?? "-"}`);
      return url.includes("sys/health")
        ? { status: 200, text: async () => JSON.stringify({ version: "1.21.4+ent", enterprise: true }) }
        : { status: 200, text: async () => JSON.stringify({ data: { keys: ["a/"] } }) };
    };
    const found = await detectServer("http://vault:8200/", { token: "t", fetch: fake });
    expect(found.features).toEqual({
      namespaces: true,
      "sentinel-policies": true,
      "lease-count-quotas": true,
      "api-audit-devices": true,
    });
    expect(calls).toEqual([
      "http://vault:8200/v1/sys/health?standbyok=true&perfstandbyok=true&sealedcode=200&uninitcode=200 -",
      "http://vault:8200/v1/sys/namespaces?list=true t",
    ]);
  });
});
