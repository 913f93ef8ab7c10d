import { ModelValidationError } from "../../../model/errors";
import { loadEstateYaml } from "../../../model/estate-loader";

const ESTATE = `target:
  edition: openbao
  version: 2.6.1
pki:
  root:
    mount: pki-root
    commonName: Root
    ttl: 87600h
  intermediates:
    - mount: pki
      commonName: Issuing
      ttl: 90000h
      maxLeaseTtl: 8760h
kv:
  - mount: \${KV_MOUNT}
`;

describe("loadEstateYaml", () => {
  it("resolves variables and reports cross-field errors at their line", () => {
    let error: unknown;
    try {
      loadEstateYaml(ESTATE, { file: "estate.yaml", env: { KV_MOUNT: "secret" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelValidationError);
    expect((error as ModelValidationError).issues).toEqual([
      {
        path: "pki.intermediates[0].ttl",
        message: "intermediate TTL 324000000s (90000h) exceeds the root TTL 315360000s (87600h)",
        file: "estate.yaml",
        line: 12,
        column: 7,
      },
    ]);
  });

  it("loads a valid estate", () => {
    const estate = loadEstateYaml(ESTATE.replace("90000h", "43800h"), { env: { KV_MOUNT: "secret" } });
    expect(estate.kv).toEqual([{ mount: "secret", maxVersions: 0, casRequired: false, deleteVersionAfter: 0 }]);
    expect(estate.pki?.intermediates[0].ttl).toBe(157_680_000);
  });

  it("requires every referenced variable", () => {
    expect(() => loadEstateYaml(ESTATE, { env: {} })).toThrow(
      /^estate\.yaml:\d+:\d+: kv\[0\]\.mount: environment variable KV_MOUNT is not set/,
    );
  });
});
