import { ModelValidationError } from "../../../../model/errors";
import { compileEstate } from "../../../../model/graph-estate";
import { toPlain } from "../../../../model/graph";
import { SshGrants, checkSsh, sshFragment, sshInput, sshProps, sshSchema } from "../../../../model/kinds/ssh";
import { parseEstate } from "../../../../model/rules";
import { PathRule } from "../../../../policies/policy-document";

const TARGET = { edition: "openbao", version: "2.6.1" };
const parse = (input: unknown) => sshSchema.parse(input);
const user = { name: "deploy", certType: "user", allowedUsers: ["deploy"], ttl: "1h" };
const host = { name: "hosts", certType: "host", allowedDomains: ["example.internal"], ttl: "720h" };

function messages(input: unknown): string[] {
  return checkSsh(parse(input)).map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("SSH kind: schema", () => {
  it("defaults: an ed25519 CA, no roles; durations in seconds", () => {
    expect(parse({ mount: "/ssh/" })).toEqual({ mount: "ssh", caKeyType: "ssh-ed25519", roles: [] });
    expect(parse({ mount: "ssh", roles: [user] }).roles[0]).toMatchObject({ ttl: 3600, allowedUsers: ["deploy"], defaultExtensions: {} });
  });

  it("refuses unknown keys, an unknown cert type and a CA key type Vault cannot generate", () => {
    expect(sshSchema.safeParse({ mount: "ssh", privateKey: "x" }).success).toBe(false);
    expect(sshSchema.safeParse({ mount: "ssh", roles: [{ ...user, certType: "both" }] }).success).toBe(false);
    expect(sshSchema.safeParse({ mount: "ssh", caKeyType: "ssh-dss" }).success).toBe(false);
  });
});

describe("SSH kind: cross-field rules", () => {
  it("accepts a user role with principals and a host role with domains", () => {
    expect(messages({ mount: "ssh", roles: [user, host] })).toEqual([]);
    expect(messages({ mount: "ssh", roles: [{ ...user, allowedUsers: [], defaultUser: "deploy" }] })).toEqual([]);
  });

  it("names the field of each mistake", () => {
    expect(messages({ mount: "ssh", roles: [{ ...user, allowedUsers: [] }] })).toEqual([
      'roles.0.allowedUsers: user role "deploy" allows no principals: set allowedUsers or defaultUser',
    ]);
    expect(messages({ mount: "ssh", roles: [{ ...user, allowSubdomains: true }] })).toEqual([
      'roles.0.allowSubdomains: allowSubdomains is for host certificates; user role "deploy" names principals in allowedUsers',
    ]);
    expect(messages({ mount: "ssh", roles: [{ ...host, allowedDomains: [], defaultUser: "root" }] })).toEqual([
      'roles.0.allowedDomains: host role "hosts" allows no hosts: set allowedDomains',
      'roles.0.defaultUser: allowedUsers and defaultUser are for user certificates; host role "hosts" names hosts in allowedDomains',
    ]);
    expect(messages({ mount: "ssh", roles: [user, { ...host, name: "deploy" }] })).toEqual([
      'roles.1.name: role "deploy" is declared twice',
    ]);
    expect(messages({ mount: "ssh", roles: [{ ...user, ttl: "2h", maxTtl: "1h" }] })).toEqual([
      "roles.0.ttl: role TTL 7200s (2h) exceeds the role max TTL 3600s (1h)",
    ]);
    expect(messages({ mount: "ssh", maxLeaseTtl: "1h", roles: [{ ...user, maxTtl: "2h" }] })).toEqual([
      'roles.0.maxTtl: role TTL 7200s (2h) exceeds the mount max TTL 3600s (1h) of "ssh"',
    ]); // Without a role max TTL the role's TTL is what must fit, and that is the field named.
    expect(messages({ mount: "ssh", maxLeaseTtl: "1h", roles: [{ ...user, ttl: "2h" }] })).toEqual([
      'roles.0.ttl: role TTL 7200s (2h) exceeds the mount max TTL 3600s (1h) of "ssh"',
    ]);
    expect(messages({ mount: "ssh", roles: [{ ...user, allowedDomains: ["example.com"] }] })).toEqual([
      'roles.0.allowedDomains: allowedDomains is for host certificates; user role "deploy" names principals in allowedUsers',
    ]);
    expect(messages({ mount: "ssh", roles: [{ ...host, allowedUsers: ["root"] }] })).toEqual([
      'roles.0.allowedUsers: allowedUsers and defaultUser are for user certificates; host role "hosts" names hosts in allowedDomains',
    ]);
  });

  it("limits are inclusive: a TTL equal to the role max TTL or the mount max TTL fits", () => {
    expect(messages({ mount: "ssh", roles: [{ ...user, ttl: "1h", maxTtl: "1h" }] })).toEqual([]);
    expect(
      messages({
        mount: "ssh",
        maxLeaseTtl: "2h",
        roles: [
          { ...user, ttl: "1h", maxTtl: "2h" },
          { ...host, ttl: "2h" },
        ],
      }),
    ).toEqual([]);
    expect(messages({ mount: "ssh", maxLeaseTtl: "2h", roles: [{ ...user, ttl: "1h" }] })).toEqual([]);
  });

  it("key size and signer only for an ssh-rsa CA", () => {
    expect(messages({ mount: "ssh", caKeyBits: 4096 })).toEqual([
      "caKeyBits: caKeyBits is for an ssh-rsa CA; the size of a ssh-ed25519 key is implied by its type",
    ]);
    expect(messages({ mount: "ssh", caKeyType: "ssh-rsa", caKeyBits: 1024 })).toEqual([
      "caKeyBits: caKeyBits 1024 is not valid for ssh-rsa (allowed: 2048, 3072, 4096)",
    ]);
    expect(
      messages({ mount: "ssh", caKeyType: "ssh-rsa", caKeyBits: 4096, roles: [{ ...user, algorithmSigner: "rsa-sha2-512" }] }),
    ).toEqual([]);
    expect(messages({ mount: "ssh", roles: [{ ...user, algorithmSigner: "rsa-sha2-512" }] })).toEqual([
      "roles.0.algorithmSigner: algorithmSigner applies to an ssh-rsa CA; this CA is ssh-ed25519",
    ]);
  });

  it("runs in the estate, with the field path and mount paths unique across engines", () => {
    expect(() => parseEstate({ target: TARGET, ssh: [{ mount: "ssh", roles: [{ ...user, allowedUsers: [] }] }] })).toThrow(
      /ssh\[0\]\.roles\[0\]\.allowedUsers: user role "deploy" allows no principals/,
    );
    expect(() => parseEstate({ target: TARGET, kv: [{ mount: "ssh" }], ssh: [{ mount: "ssh" }] })).toThrow(ModelValidationError);
    expect(() => parseEstate({ target: TARGET, kv: [{ mount: "ssh" }], ssh: [{ mount: "ssh" }] })).toThrow(
      /ssh\[0\]\.mount: mount path "ssh" is used twice/,
    );
  });
});

describe("SSH kind: graph fragment", () => {
  const spec = parse({
    mount: "ssh-client",
    maxLeaseTtl: "24h",
    roles: [{ ...user, allowedUsers: ["ops", "deploy"], defaultExtensions: { "permit-pty": "" }, maxTtl: "8h" }, host],
  });

  it("mount, generated CA and roles with named ids; TTLs as strings of seconds (the provider reads them back so)", () => {
    const fragment = sshFragment(spec, { owner: "ssh" });
    expect(fragment.ids).toEqual({
      mount: "ssh.mount",
      ca: "ssh.ca",
      roles: new Map([
        ["deploy", "ssh.role-deploy"],
        ["hosts", "ssh.role-hosts"],
      ]),
    });
    expect(String(fragment.publicKey)).toBe("${ssh.ca.public_key}");
    expect(toPlain(fragment.resources)).toEqual([
      {
        type: "vault_mount",
        id: "ssh.mount",
        protect: false,
        attributes: { path: "ssh-client", type: "ssh", max_lease_ttl_seconds: 86400 },
      },
      {
        type: "vault_ssh_secret_backend_ca",
        id: "ssh.ca",
        protect: false,
        attributes: { backend: "${ssh.mount.path}", generate_signing_key: true, key_type: "ssh-ed25519" },
      },
      {
        type: "vault_ssh_secret_backend_role",
        id: "ssh.role-deploy",
        protect: false,
        dependsOn: ["ssh.ca"],
        attributes: {
          backend: "${ssh.mount.path}",
          name: "deploy",
          key_type: "ca",
          allow_user_certificates: true,
          allow_host_certificates: false,
          allowed_users: "deploy,ops",
          allow_subdomains: false,
          allow_bare_domains: false,
          default_extensions: { "permit-pty": "" },
          ttl: "3600",
          max_ttl: "28800",
        },
      },
      {
        type: "vault_ssh_secret_backend_role",
        id: "ssh.role-hosts",
        protect: false,
        dependsOn: ["ssh.ca"],
        attributes: {
          backend: "${ssh.mount.path}",
          name: "hosts",
          key_type: "ca",
          allow_user_certificates: false,
          allow_host_certificates: true,
          allowed_domains: "example.internal",
          allow_subdomains: false,
          allow_bare_domains: false,
          ttl: "2592000",
        },
      },
    ]);
  });

  it("compileEstate places the engine under owner ssh-<mount> in the estate's namespace", () => {
    const estate = parseEstate({
      target: { edition: "vault-enterprise", version: "1.21.4" },
      namespace: "team",
      ssh: [{ mount: "ssh" }],
    });
    const plain = toPlain(compileEstate(estate).resources);
    expect(plain.map((r) => r.id)).toEqual(["ssh-ssh.mount", "ssh-ssh.ca"]);
    expect(plain[1].attributes).toMatchObject({ namespace: "team" });
  });

  it("sshProps maps a validated spec back onto construct props", () => {
    const spec = parse({ mount: "s", description: "d", caKeyType: "ssh-rsa", caKeyBits: 4096, roles: [user] });
    const props = sshProps(spec);
    expect(props).toMatchObject({ mountPath: "s", description: "d", caKeyType: "ssh-rsa", caKeyBits: 4096, roles: [{ name: "deploy" }] });
    expect(props).not.toHaveProperty("mount");
    expect(parse(sshInput(props))).toEqual(spec);
  });

  it("allowed extensions are non-empty names", () => {
    expect(parse({ mount: "ssh", roles: [{ ...user, allowedExtensions: ["permit-pty"] }] }).roles[0].allowedExtensions).toEqual([
      "permit-pty",
    ]);
    expect(sshSchema.safeParse({ mount: "ssh", roles: [{ ...user, allowedExtensions: [""] }] }).success).toBe(false);
  });

  it("construct props map onto the schema (mount path default ssh)", () => {
    expect(parse(sshInput({}))).toEqual({ mount: "ssh", caKeyType: "ssh-ed25519", roles: [] });
    expect(parse(sshInput({ mountPath: "s", roles: [{ name: "r", certType: "user", defaultUser: "u", ttl: 60 }] })).roles[0]).toMatchObject(
      {
        name: "r",
        defaultUser: "u",
        ttl: 60,
      },
    );
  });
});

describe("SSH kind: grantSign", () => {
  it("grants update on <mount>/sign/<role>, returns it, and refuses a role the engine lacks", () => {
    const rules: PathRule[] = [];
    const policy = { policyName: "app", addRules: (...r: PathRule[]) => rules.push(...r) };
    const grants = new SshGrants("ssh-client", new Set(["deploy"]), "stack/ssh");
    expect(grants.grantSign(policy, "deploy")).toEqual([{ path: "ssh-client/sign/deploy", capabilities: ["update"] }]);
    expect(() => grants.grantSign(policy, "root")).toThrow('SshSecrets stack/ssh: no role "root" (roles: deploy)');
    const two = new SshGrants("ssh", new Set(["a", "b"]), "s/ssh");
    expect(() => two.grantSign(policy, "c")).toThrow('SshSecrets s/ssh: no role "c" (roles: a, b)');
    const none = new SshGrants("ssh", new Set(), "s/ssh");
    expect(() => none.grantSign(policy, "c")).toThrow('SshSecrets s/ssh: no role "c" (roles: none)');
    expect(rules).toEqual([{ path: "ssh-client/sign/deploy", capabilities: ["update"] }]);
  });
});
