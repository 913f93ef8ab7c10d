import { Probe, REQUIREMENTS, installCommands, plan } from "../../../tools/prerequisites";

function probe(over: Partial<Probe> & { missing?: string[] } = {}): Probe {
  const missing = new Set(over.missing ?? []);
  return {
    has: over.has ?? ((c) => !missing.has(c)),
    javaMajor: over.javaMajor ?? (() => 17),
    pythonPip: over.pythonPip ?? (() => true),
    postgres: over.postgres ?? (() => true),
    isRoot: over.isRoot ?? true,
  };
}

describe("test prerequisites", () => {
  it("needs nothing on a machine that has everything", () => {
    expect(plan(probe(), { allowInstall: true })).toEqual({ action: "none" });
  });

  it("installs what a fresh Debian machine lacks when root with apt-get, slapd's question preseeded", () => {
    const fresh = probe({
      missing: ["/usr/sbin/slapd", "/usr/bin/ldapadd", "mvn", "java"],
      javaMajor: () => undefined,
      pythonPip: () => false,
    });
    expect(plan(fresh, { allowInstall: true })).toEqual({
      action: "install",
      packages: ["python3-pip", "slapd", "ldap-utils", "openjdk-17-jre-headless", "maven"],
      commands: [
        "apt-get update",
        "echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections",
        "DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip slapd ldap-utils openjdk-17-jre-headless maven",
      ],
    });
  });

  it("fails at once with the exact commands when it may not install (not root, no apt-get, or VAULTSMITH_NO_INSTALL)", () => {
    const notRoot = plan(probe({ isRoot: false, missing: ["/usr/sbin/slapd"] }), { allowInstall: true });
    expect(notRoot).toEqual({
      action: "fail",
      message:
        "the tests need Debian packages that are missing: slapd (LDAP auth tests run a real OpenLDAP server). Install them with:\n" +
        "  sudo apt-get update\n" +
        "  echo 'slapd slapd/no_configuration boolean true' | sudo debconf-set-selections\n" +
        "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y slapd",
    });
    expect(plan(probe({ missing: ["apt-get", "mvn"] }), { allowInstall: true }).action).toBe("fail");
    expect(plan(probe({ missing: ["mvn"] }), { allowInstall: false })).toMatchObject({ action: "fail" });
  });

  it("asks for Java 17 when another Java is first, and says to set JAVA_HOME", () => {
    const result = plan(probe({ javaMajor: () => 21 }), { allowInstall: false });
    expect(result.action === "fail" && result.message).toContain(
      "openjdk-17-jre-headless (Cassandra 5.0 runs on Java 17) (another Java is installed",
    );
  });

  it("installs PostgreSQL from Debian when no server is installed", () => {
    expect(plan(probe({ postgres: () => false }), { allowInstall: true })).toEqual({
      action: "install",
      packages: ["postgresql"],
      commands: ["apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql"],
    });
  });

  it("installs MariaDB from Debian when its server is missing", () => {
    expect(plan(probe({ missing: ["/usr/sbin/mariadbd"] }), { allowInstall: true })).toEqual({
      action: "install",
      packages: ["mariadb-server"],
      commands: ["apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server"],
    });
  });

  it("preseeds debconf only when slapd is among the packages", () => {
    expect(installCommands(["maven"])).toEqual(["apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y maven"]);
    expect(REQUIREMENTS.map((r) => r.pkg)).toEqual([
      "python3",
      "python3-pip",
      "slapd",
      "ldap-utils",
      "openjdk-17-jre-headless",
      "maven",
      "openssl",
      "postgresql",
      "mariadb-server",
    ]);
  });
});
