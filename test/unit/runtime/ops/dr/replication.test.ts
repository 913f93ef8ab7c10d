import { ReplicationStepError, renderReplicationStep } from "../../../../../runtime/ops/dr/replication";

describe("Enterprise replication calls (rendered, validated, never sent)", () => {
  it("renders DR and performance paths and bodies", () => {
    expect(renderReplicationStep("dr", { op: "enable-primary", primaryClusterAddr: "https://dc1:8201" })).toEqual({
      method: "POST",
      path: "sys/replication/dr/primary/enable",
      body: { primary_cluster_addr: "https://dc1:8201" },
      requires: ["sudo"],
    });
    expect(renderReplicationStep("performance", { op: "secondary-token", id: "dc2", ttl: "30m" }).path).toBe(
      "sys/replication/performance/primary/secondary-token",
    );
    expect(renderReplicationStep("dr", { op: "promote-secondary", drOperationToken: "t" })).toEqual({
      method: "POST",
      path: "sys/replication/dr/secondary/promote",
      body: { dr_operation_token: "t" },
      requires: ["dr-operation-token"],
    });
    expect(renderReplicationStep("performance", { op: "promote-secondary" }).body).toEqual({});
    expect(renderReplicationStep("dr", { op: "status" })).toMatchObject({ method: "GET", path: "sys/replication/dr/status" });
    expect(renderReplicationStep("performance", { op: "enable-secondary", token: "wrapped" }).body).toEqual({ token: "wrapped" });
    expect(renderReplicationStep("dr", { op: "demote-primary" }).path).toBe("sys/replication/dr/primary/demote");
  });

  it("refuses missing and malformed parameters, naming the field", () => {
    const fail = (fn: () => unknown): ReplicationStepError => {
      try {
        fn();
      } catch (e) {
        return e as ReplicationStepError;
      }
      throw new Error("no error");
    };
    expect(fail(() => renderReplicationStep("dr", { op: "promote-secondary" })).field).toBe("drOperationToken");
    expect(fail(() => renderReplicationStep("dr", { op: "enable-secondary", token: " " })).field).toBe("token");
    expect(fail(() => renderReplicationStep("dr", { op: "enable-primary", primaryClusterAddr: "http://x:8201" })).message).toContain(
      "https://",
    );
    expect(fail(() => renderReplicationStep("dr", { op: "enable-primary", primaryClusterAddr: "nota url" })).field).toBe(
      "primaryClusterAddr",
    );
    expect(fail(() => renderReplicationStep("dr", { op: "secondary-token", id: "a/b" })).field).toBe("id");
    expect(fail(() => renderReplicationStep("dr", { op: "secondary-token", id: "a", ttl: "soon" })).field).toBe("ttl");
    expect(fail(() => renderReplicationStep("mirror" as "dr", { op: "status" })).field).toBe("kind");
  });
});
