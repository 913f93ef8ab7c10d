import { join } from "node:path";
import { diffPolicySets, formatDiffMarkdown, formatDiffText } from "../../../policies/policy-diff";
import { loadPolicySet } from "../../../policies/policy-source";

const ESTATE = join(__dirname, "../../fixtures/policies/estate");

describe("diffPolicySets", () => {
  it("reports per role the capabilities gained and lost on concrete patterns", async () => {
    const base = await loadPolicySet(join(ESTATE, "base"));
    const head = await loadPolicySet(join(ESTATE, "head"));
    const diff = diffPolicySets(base, head);
    expect(formatDiffText(diff)).toBe(
      [
        "role app-a gains delete on secret/data/app-a/*",
        "role app-a gains read on secret/data/prod/db",
        "role ops loses sudo on sys/audit",
        "access widens",
        "",
      ].join("\n"),
    );
    expect(diff.widens).toBe(true);
    expect(diff.changes.find((c) => c.pattern === "secret/data/app-a/*")?.example).toBe("secret/data/app-a/_");
  });

  it("renders Markdown for a pull-request comment", async () => {
    const base = await loadPolicySet(join(ESTATE, "base"));
    const head = await loadPolicySet(join(ESTATE, "head"));
    const markdown = formatDiffMarkdown(diffPolicySets(base, head));
    expect(markdown).toContain("⚠️ **Access widens.**");
    expect(markdown).toContain("| app-a | `secret/data/app-a/*` | ➕ delete |  | `secret/data/app-a/_` |");
    expect(markdown).toContain("| ops | `sys/audit` |  | ➖ sudo | `sys/audit` |");
    expect(markdown).not.toContain("user-home"); // not a role in roles.yaml
  });

  it("reports no change and no widening for identical sets, and narrowing only when access shrinks", async () => {
    const base = await loadPolicySet(join(ESTATE, "base"));
    const same = diffPolicySets(base, base);
    expect(formatDiffText(same)).toBe("no access changes\n");
    expect(formatDiffMarkdown(same)).toContain("No access changes.");
    const reverse = diffPolicySets(await loadPolicySet(join(ESTATE, "head")), base);
    expect(reverse.widens).toBe(true); // ops regains sudo
    expect(formatDiffText(reverse)).toContain("role app-a loses delete on secret/data/app-a/*");
  });

  it("names roles that appear or disappear", async () => {
    const base = await loadPolicySet(join(ESTATE, "base"));
    const head = await loadPolicySet(join(ESTATE, "head"));
    const renamed = { ...head, roles: { ...head.roles, home: ["user-home"] } };
    const diff = diffPolicySets(base, renamed);
    expect(diff.addedRoles).toEqual(["home"]);
    expect(formatDiffText(diff)).toContain("role home is new\n");
    expect(formatDiffText(diff)).toContain("role home gains create, delete, read, update on secret/data/home/{{identity.entity.id}}/*");
  });

  it("reports loosened request constraints as widening even when capabilities stay the same", async () => {
    const base = await loadPolicySet(join(ESTATE, "base"));
    const tighten = (ttl: number | undefined) => ({
      ...base,
      policies: base.policies.map((p) =>
        p.name === "app-a"
          ? { ...p, rules: p.rules.map((r) => (r.path === "secret/data/app-a/*" ? { ...r, maxWrappingTtlSeconds: ttl } : r)) }
          : p,
      ),
    });
    const diff = diffPolicySets(tighten(60), tighten(undefined));
    expect(diff.widens).toBe(true);
    expect(formatDiffText(diff)).toContain("role app-a faces looser constraints on secret/data/app-a/*: max_wrapping_ttl 60s → none");
    expect(formatDiffMarkdown(diff)).toContain("looser: max_wrapping_ttl 60s → none");
    const reverse = diffPolicySets(tighten(undefined), tighten(60));
    expect(reverse.widens).toBe(false);
    expect(formatDiffText(reverse)).toContain("faces tighter constraints on secret/data/app-a/*: max_wrapping_ttl none → 60s");
  });

  it("reads a directory at a git ref", async () => {
    // HEAD:policies holds TypeScript sources and (perhaps, later) .hcl files: it must load either way.
    const set = await loadPolicySet("HEAD:policies", { cwd: join(__dirname, "../../..") });
    expect(set.source).toBe("HEAD:policies");
    expect(set.policies.every((p) => p.name === p.name.toLowerCase())).toBe(true);
    await expect(loadPolicySet("no-such-ref:policies", { cwd: join(__dirname, "../../..") })).rejects.toThrow(
      'cannot read "no-such-ref:policies" from git',
    );
  });
});
