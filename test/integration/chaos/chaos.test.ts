/**
 * The chaos suite at its small size (`npm run chaos` runs it at full size): each scenario breaks a
 * real OpenBao Raft cluster under a write workload and must lose no acknowledged write and leave
 * no write of unknown outcome. The reports are printed for the closing note.
 */
import {
  ChaosReport,
  SMALL,
  certificateNearExpiry,
  leaderKill,
  leaseRevoked,
  partition,
  sealUnseal,
  serverRestart,
  tokenRevoked,
} from "../../support/chaos";
import { DatabaseUnderTest, startDatabase } from "../../support/database-under-test";
import { RaftCluster, startRaftCluster } from "../../support/raft-cluster";

function expectClean(report: ChaosReport): void {
  console.log(`[chaos] ${JSON.stringify(report)}`);
  expect(report.acknowledged).toBeGreaterThan(0);
  expect(report.lost).toBe(0);
  expect(report.unknown).toBe(0);
}

describe("chaos suite (small) on one OpenBao node on Raft", () => {
  let single: RaftCluster;
  let postgres: DatabaseUnderTest;
  beforeAll(async () => {
    [single, postgres] = await Promise.all([startRaftCluster("openbao", { nodes: 1 }), startDatabase("postgres")]);
  });
  afterAll(async () => {
    await single?.stop();
    await postgres?.stop();
  });

  it("partition: the link stops forwarding, then heals", async () => {
    const report = await partition(single, SMALL);
    expectClean(report);
    // Writes in flight when the link went silent timed out and were settled on the server.
    expect(report.settled).toBeGreaterThan(0);
  });

  it("seal/unseal under load", async () => {
    const report = await sealUnseal(single, SMALL);
    expectClean(report);
    expect(report.retried).toBeGreaterThan(0);
  });

  it("server restart under load", async () => {
    const report = await serverRestart(single, SMALL);
    expectClean(report);
    expect(report.retried).toBeGreaterThan(0);
  });

  it("token revoked out of band: the refused writes fail with a known outcome, the client logs in again", async () => {
    const report = await tokenRevoked(single, SMALL);
    expectClean(report);
    expect(report.errors.VaultHttpError ?? 0).toBe(report.failed);
    expect(report.acknowledged).toBeGreaterThan(report.failed);
  });

  it("lease revoked out of band: logins fail until the next renewal finds the lease gone, then new credentials work", async () => {
    const report = await leaseRevoked(single, SMALL, postgres);
    expectClean(report);
    // The first credentials and the replacement after the revocation.
    expect(report.acknowledged).toBeGreaterThanOrEqual(2);
    expect(report.failed).toBeGreaterThan(0);
  });

  it("certificates near expiry are renewed across a silent link", async () => {
    const report = await certificateNearExpiry(single, SMALL);
    expectClean(report);
    expect(report.acknowledged).toBeGreaterThanOrEqual(2);
  });
});

describe("chaos suite (small) on a 3-node OpenBao Raft cluster", () => {
  let cluster: RaftCluster;
  beforeAll(async () => {
    cluster = await startRaftCluster("openbao", { nodes: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("leader kill under load", async () => {
    const report = await leaderKill(cluster, SMALL);
    expectClean(report);
    expect(report.settled + report.retried).toBeGreaterThan(0);
  });
});
