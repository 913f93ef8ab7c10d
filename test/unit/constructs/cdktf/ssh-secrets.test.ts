import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { SshSecrets } from "../../../../constructs/cdktf/ssh-secrets";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, logicalIdOf, onlyResource, resourcesOf, synth } from "./synth-helpers";

describe("SshSecrets", () => {
  const props = {
    roles: [
      { name: "deploy", certType: "user" as const, allowedUsers: ["deploy"], defaultExtensions: { "permit-pty": "" }, ttl: "30m" },
      { name: "hosts", certType: "host" as const, allowedDomains: ["example.internal"], allowSubdomains: true, ttl: "24h" },
    ],
  };

  it("a mount of type ssh, a CA key generated in Vault (no key material in the configuration) and the roles after it", () => {
    const json = synth((stack) => new SshSecrets(stack, "ssh", props));
    expect(onlyResource(json, "vault_mount")).toEqual({ path: "ssh", type: "ssh" });
    expect(onlyResource(json, "vault_ssh_secret_backend_ca")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_mount\.ssh_mount_[0-9A-F]+\.path\}$/),
      generate_signing_key: true,
      key_type: "ssh-ed25519",
    });
    const roles = Object.fromEntries(resourcesOf(json, "vault_ssh_secret_backend_role").map((r) => [r.name, r]));
    expect(roles.deploy).toMatchObject({
      key_type: "ca",
      allow_user_certificates: true,
      allowed_users: "deploy",
      default_extensions: { "permit-pty": "" },
      ttl: "1800",
      depends_on: [`vault_ssh_secret_backend_ca.${logicalIdOf(json, "vault_ssh_secret_backend_ca")}`],
    });
    expect(roles.hosts).toMatchObject({
      allow_host_certificates: true,
      allowed_domains: "example.internal",
      allow_subdomains: true,
      ttl: "86400",
    });
  });

  it("grantSign adds update on <mount>/sign/<role> to the policy's HCL and refuses an unknown role", () => {
    const json = synth((stack) => {
      const ssh = new SshSecrets(stack, "ssh", { ...props, mountPath: "ssh-client" });
      const policy = new AclPolicy(stack, "p", { policyName: "ops" });
      expect(ssh.grantSign(policy, "deploy")).toEqual([{ path: "ssh-client/sign/deploy", capabilities: ["update"] }]);
      expect(() => ssh.grantSign(policy, "admin")).toThrow('SshSecrets test/ssh: no role "admin" (roles: deploy, hosts)');
    });
    expect(onlyResource(json, "vault_policy").policy).toContain('path "ssh-client/sign/deploy" {\n  capabilities = ["update"]\n}');
  });

  it("refuses bad props with the construct path and field, creating nothing", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new SshSecrets(stack, "ssh", { roles: [{ name: "deploy", certType: "user", ttl: "1h" }] })).toThrow(
      'SshSecrets(ssh).roles[0].allowedUsers: user role "deploy" allows no principals: set allowedUsers or defaultUser',
    );
    expect(stack.node.tryFindChild("ssh")?.node.children ?? []).toHaveLength(0);
  });
});
