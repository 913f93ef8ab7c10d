/**
 * The demo's Cassandra job (run by `npm run demo` on the server it started itself): a real
 * Cassandra 5.0 node with TLS and password authentication is started by the same harness pieces
 * the tests use (its jars fetched from Maven Central by `npm run servers:build cassandra` when not
 * cached), and the application side does what the seed asks of it:
 *
 * 1. the database engine is pointed at the node (operator part, root token) and a LeaseManager
 *    obtains **dynamic Cassandra credentials**, logs in with them, renews the lease, and revokes it —
 *    after which the login is refused;
 * 2. a ConfigRenderer renders a client properties file from those credentials, in memory;
 * 3. a record is encrypted with the `cassandra-encryption` transit key and decrypted again; a
 *    RotationScheduler rotates the key, the old ciphertext still decrypts and is rewrapped to the
 *    new version, and the audit trail is printed.
 *
 * Printed: user names, lease ids, TTLs, key versions, ciphertext prefixes and whether values
 * match — never a password, plaintext value or key.
 */
import { randomBytes } from "node:crypto";
import { ConfigRenderer, LeaseManager, POLICIES, RotationScheduler, VaultClient } from "../../runtime";
import { PasswordCassandra, startPasswordCassandra } from "../../test/support/cassandra-passwords";
import { buildServers } from "../../tools/server-build";

/** Run the job against `vault` (a client with a root token on a server the demo started). */
export async function cassandraJob(vault: VaultClient): Promise<void> {
  console.log("cassandra job: dynamic credentials and transit encryption");
  buildServers(["cassandra"]);
  const started = Date.now();
  const node: PasswordCassandra = await startPasswordCassandra();
  console.log(
    `  Cassandra ${node.server.version} up on 127.0.0.1:${node.server.nativePort} (TLS, passwords) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const leases = new LeaseManager({ requester: vault, revokeOnStop: true });
  const rotations = new RotationScheduler({ client: vault });
  try {
    await node.execute("CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    await node.execute("CREATE TABLE IF NOT EXISTS app.customers (id int PRIMARY KEY, card text)");

    // Operator part: the database engine and a role for the application.
    const write = (path: string, body: unknown) => vault.request({ method: "POST", path, body }, POLICIES.idempotentWrite);
    await write("sys/mounts/database", { type: "database" });
    await write("database/config/cassandra", {
      plugin_name: "cassandra-database-plugin",
      hosts: node.server.host,
      port: node.server.nativePort,
      username: "vault_admin",
      password: await node.resetAdmin("vault_admin"),
      tls: true,
      pem_bundle: node.tls.ca,
      protocol_version: 4,
      allowed_roles: ["cassandra-app"],
    });
    await write("database/roles/cassandra-app", {
      db_name: "cassandra",
      creation_statements: [
        "CREATE USER '{{username}}' WITH PASSWORD '{{password}}' NOSUPERUSER;",
        "GRANT SELECT ON KEYSPACE app TO '{{username}}';",
        "GRANT MODIFY ON KEYSPACE app TO '{{username}}';",
      ],
      default_ttl: "5m",
      max_ttl: "1h",
    });

    // 1. Dynamic credentials, kept by a LeaseManager.
    const creds = await leases.manage({ name: "cassandra-app", role: "cassandra-app" });
    console.log(`  dynamic credentials: user ${creds.username}, lease ${creds.leaseId}, ttl ${creds.leaseDurationSeconds}s`);
    const loggedIn = await node.canLogIn(creds);
    console.log(`    log in as ${creds.username}: ${loggedIn === true ? "ok" : `REFUSED (${loggedIn})`}`);
    const renewed = await vault.database().renew(creds.leaseId, 600);
    console.log(`    renewed: ttl ${renewed.leaseDurationSeconds}s`);

    // 2. A client configuration rendered from them, in memory.
    const renderer = new ConfigRenderer({ client: vault, leases });
    const properties = await renderer.render(
      "cassandra-client.properties",
      "datastax-java-driver.advanced.auth-provider.username = {{ database cassandra-app username }}\n" +
        "datastax-java-driver.advanced.auth-provider.password = {{ database cassandra-app password | quote }}\n",
    );
    const rendered = properties.text();
    console.log(
      `  rendered cassandra-client.properties in memory: ${rendered.split("\n").filter(Boolean).length} lines, user ${rendered.includes(creds.username) ? "present" : "MISSING"}, password ${rendered.includes(JSON.stringify(creds.password)) ? "present (not printed)" : "MISSING"}`,
    );

    // 3. Transit: the cassandra-encryption key, a rotation, a rewrap.
    const transit = vault.transit();
    await write("sys/mounts/transit", { type: "transit" });
    await transit.createKey("cassandra-encryption", { type: "aes256-gcm96" });
    const card = `4000-${randomBytes(6).toString("hex")}`;
    const sealed = await transit.encrypt("cassandra-encryption", card);
    console.log(
      `  encrypted a card number with cassandra-encryption: ${sealed.ciphertext.slice(0, 9)}… (key version ${sealed.keyVersion})`,
    );
    const back = await transit.decrypt("cassandra-encryption", sealed.ciphertext, { as: "text" });
    console.log(`    decrypted: ${back === card ? "matches the original" : "MISMATCH"}`);
    if (back !== card) process.exitCode = 1;

    await rotations.add({ id: "cassandra-encryption", target: { kind: "transit-key", key: "cassandra-encryption" } });
    const rotated = await rotations.rotateNow("cassandra-encryption", { actor: "demo" });
    const oldStill = (await transit.decrypt("cassandra-encryption", sealed.ciphertext, { as: "text" })) === card;
    const rewrapped = await transit.rewrap("cassandra-encryption", sealed.ciphertext);
    console.log(
      `  rotated cassandra-encryption v${rotated.fromVersion} → v${rotated.toVersion}: old ciphertext ${oldStill ? "still decrypts" : "NO LONGER DECRYPTS"}, rewrapped to ${rewrapped.ciphertext.slice(0, 9)}…`,
    );
    for (const record of rotations.auditTrail())
      console.log(
        `    audit: ${record.at.toISOString()} ${record.kind} ${record.resource} v${record.fromVersion}→v${record.toVersion} by ${record.actor} (${record.outcome})`,
      );

    // The lease ends: Vault drops the user, the login is refused.
    await leases.release("cassandra-app", { revoke: true });
    const after = await node.canLogIn(creds);
    console.log(`    after revoking the lease, log in as ${creds.username}: ${after === true ? "STILL ACCEPTED" : "refused"}`);
    if (loggedIn !== true || after === true) process.exitCode = 1;
  } finally {
    await rotations.stop();
    await leases.stop();
    await node.stop();
  }
}
