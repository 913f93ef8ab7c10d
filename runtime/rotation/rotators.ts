/**
 * One rotator per target kind: how to check that the target exists, read its current version,
 * make one rotation attempt, and retire the replaced version after the grace period. Everything
 * goes through the public VaultClient engines. An attempt first looks whether an earlier attempt
 * that failed ambiguously (a timeout after the request left) already rotated, so a retry does not
 * rotate twice: KV compares the latest version's data with the value being written, transit the
 * key's latest version with the one before.
 */
import { isDeepStrictEqual } from "node:util";
import type { CertificateManager } from "../certs/certificate-manager";
import type { VaultClient } from "../client/vault-client";
import { VaultHttpError } from "../core/errors";
import { DatabaseRoleNotFoundError } from "../engines/database-errors";
import type { SecretData } from "../engines/kv2";
import { POLICIES } from "../transport/requester";
import { RotationTargetNotFoundError } from "./rotation-errors";
import type { RotationTarget } from "./rotation-types";

/** A version as the scheduler tracks it. */
export interface VersionInfo {
  /** See `RotationAuditRecord.fromVersion`. */
  readonly version: string | undefined;
  /** When it was made, by the server's timestamp. */
  readonly createdAt: Date | undefined;
}

/** What `afterGrace` did. */
export type GraceAction = "kept" | "deleted" | "retired";

/** Kind-specific operations behind the scheduler. */
export interface Rotator {
  /** `mount/path` and the like, for records and errors. */
  readonly resource: string;
  /** Throws {@link RotationTargetNotFoundError} when the target does not exist. */
  check(): Promise<void>;
  /** The current version. */
  inspect(): Promise<VersionInfo>;
  /** Prepare one rotation (KV: read the current value and generate the next, once). */
  prepare(): Promise<Prepared>;
  /** One attempt; resolves with the new version. */
  attempt(prepared: Prepared): Promise<VersionInfo>;
  /** Run after the grace period of the rotation that replaced `previous` with `current`. */
  afterGrace(previous: VersionInfo, current: VersionInfo): Promise<GraceAction>;
}

/** What a rotation carries between attempts. */
export interface Prepared {
  readonly before: VersionInfo;
  /** KV only: the value to write. Held in memory for the rotation, never logged. */
  readonly next?: SecretData;
}

/** Percent-encode each segment of a mount path. */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The rotator of `target`, registered under `id`. */
export function rotatorFor(id: string, target: RotationTarget, client: VaultClient, certificates?: CertificateManager): Rotator {
  switch (target.kind) {
    case "kv":
      return kvRotator(id, target.mount ?? "secret", target.path, target.generate, target.afterGrace ?? "keep", client);
    case "transit-key":
      return transitRotator(id, target.mount ?? "transit", target.key, target.afterGrace ?? "keep", client);
    case "database-static-role":
      return staticRoleRotator(id, target.mount ?? "database", target.role, client);
    case "database-root":
      return rootRotator(id, target.mount ?? "database", target.connection, client);
    case "certificate":
      if (!certificates) throw new TypeError("certificate targets need a CertificateManager");
      return certificateRotator(id, target.name, certificates);
  }
}

function kvRotator(
  id: string,
  mount: string,
  path: string,
  generate: (current: SecretData | undefined) => SecretData | Promise<SecretData>,
  afterGrace: "keep" | "delete",
  client: VaultClient,
): Rotator {
  const kv = client.kv(mount);
  const resource = `${mount}/${path}`;
  const inspect = async (): Promise<VersionInfo & { data?: SecretData }> => {
    const secret = await kv.read(path, { cache: "bypass" });
    if (!secret) return { version: undefined, createdAt: undefined };
    return { version: String(secret.metadata.version), createdAt: new Date(secret.metadata.createdTime), data: secret.data };
  };
  return {
    resource,
    check: async () => {
      // A missing secret is fine (the first rotation creates it); a missing mount, or one that is
      // not KV v2, is not. `sys/internal/ui/mounts/:path` answers for any token that may use
      // something under the path, and 403 ("preflight capability check") when it may not or the
      // mount does not exist — either way no rotation could succeed.
      let mountInfo;
      try {
        mountInfo = await client.request<{ data?: { type?: string; options?: { version?: string } | null } }>(
          { method: "GET", path: `sys/internal/ui/mounts/${encodePath(mount)}` },
          POLICIES.read,
        );
      } catch (error) {
        if (error instanceof VaultHttpError && (error.status === 403 || error.status === 404 || error.status === 400))
          throw new RotationTargetNotFoundError(id, "kv", `mount ${mount} (or this token may not use it)`, error);
        throw error;
      }
      const data = mountInfo.body?.data;
      if (data?.type !== "kv" || data.options?.version !== "2")
        throw new RotationTargetNotFoundError(
          id,
          "kv",
          `KV v2 mount ${mount} (it is ${data?.type ?? "unknown"} v${data?.options?.version ?? "?"})`,
        );
    },
    inspect: async () => {
      const { version, createdAt } = await inspect();
      return { version, createdAt };
    },
    prepare: async () => {
      const current = await inspect();
      const next = await generate(current.data);
      if (next === null || typeof next !== "object" || Array.isArray(next))
        throw new TypeError(`the generator of rotation target "${id}" returned no object of secret data`);
      return { before: { version: current.version, createdAt: current.createdAt }, next };
    },
    attempt: async (prepared) => {
      const before = Number(prepared.before.version ?? 0);
      const latest = await kv.read(path, { cache: "bypass" });
      if (latest && latest.metadata.version > before && isDeepStrictEqual(latest.data, prepared.next)) {
        // An earlier attempt's write landed although its answer was lost.
        return { version: String(latest.metadata.version), createdAt: new Date(latest.metadata.createdTime) };
      }
      const written = await kv.write(path, prepared.next ?? {}, { cas: before });
      return { version: String(written.version), createdAt: new Date(written.createdTime) };
    },
    afterGrace: async (previous) => {
      if (afterGrace === "keep" || previous.version === undefined) return "kept";
      await kv.delete(path, [Number(previous.version)]);
      return "deleted";
    },
  };
}

function transitRotator(id: string, mount: string, key: string, afterGrace: "keep" | "retire", client: VaultClient): Rotator {
  const transit = client.transit(mount);
  const resource = `${mount}/${key}`;
  const inspect = async (): Promise<VersionInfo & { latest: number }> => {
    const info = await transit.readKey(key);
    if (!info) throw new RotationTargetNotFoundError(id, "transit-key", resource);
    const newest = info.versions.find((v) => v.version === info.latestVersion);
    return { version: String(info.latestVersion), createdAt: newest?.createdAt, latest: info.latestVersion };
  };
  return {
    resource,
    check: async () => {
      await inspect();
    },
    inspect: async () => {
      const { version, createdAt } = await inspect();
      return { version, createdAt };
    },
    prepare: async () => {
      const { version, createdAt } = await inspect();
      return { before: { version, createdAt } };
    },
    attempt: async (prepared) => {
      const now = await inspect();
      if (now.latest > Number(prepared.before.version)) return { version: now.version, createdAt: now.createdAt };
      const info = await transit.rotateKey(key);
      const newest = info.versions.find((v) => v.version === info.latestVersion);
      return { version: String(info.latestVersion), createdAt: newest?.createdAt };
    },
    afterGrace: async (_previous, current) => {
      if (afterGrace === "keep" || current.version === undefined) return "kept";
      await transit.configureKey(key, { min_decryption_version: Number(current.version) });
      return "retired";
    },
  };
}

function staticRoleRotator(id: string, mount: string, role: string, client: VaultClient): Rotator {
  const database = client.database(mount);
  const resource = `${mount}/${role}`;
  const inspect = async (): Promise<VersionInfo> => {
    try {
      const creds = await database.staticCredentials(role);
      return { version: creds.lastVaultRotation?.toISOString(), createdAt: creds.lastVaultRotation };
    } catch (error) {
      if (error instanceof DatabaseRoleNotFoundError) throw new RotationTargetNotFoundError(id, "database-static-role", resource, error);
      throw error;
    }
  };
  return {
    resource,
    check: async () => {
      await inspect();
    },
    inspect,
    prepare: async () => ({ before: await inspect() }),
    attempt: async () => {
      // A repeated rotate-role after an ambiguous failure changes the password once more: harmless.
      await database.rotateRole(role);
      return inspect();
    },
    afterGrace: () => Promise.resolve("kept"),
  };
}

function rootRotator(id: string, mount: string, connection: string, client: VaultClient): Rotator {
  const database = client.database(mount);
  const resource = `${mount}/${connection}`;
  const none: VersionInfo = { version: undefined, createdAt: undefined };
  return {
    resource,
    check: async () => {
      try {
        await client.request(
          { method: "GET", path: `${encodePath(database.mount)}/config/${encodeURIComponent(connection)}` },
          POLICIES.read,
        );
      } catch (error) {
        if (error instanceof VaultHttpError && error.status === 404)
          throw new RotationTargetNotFoundError(id, "database-root", resource, error);
        throw error;
      }
    },
    inspect: () => Promise.resolve(none),
    prepare: () => Promise.resolve({ before: none }),
    attempt: async () => {
      await database.rotateRoot(connection);
      return none;
    },
    afterGrace: () => Promise.resolve("kept"),
  };
}

function certificateRotator(id: string, name: string, certificates: CertificateManager): Rotator {
  const inspect = (): VersionInfo => {
    const current = certificates.current(name);
    if (!current) throw new RotationTargetNotFoundError(id, "certificate", name);
    return { version: current.parsed.serial.colon, createdAt: current.parsed.notBefore };
  };
  return {
    resource: name,
    check: async () => {
      inspect();
    },
    inspect: async () => inspect(),
    prepare: async () => ({ before: inspect() }),
    attempt: async () => {
      const renewed = await certificates.renewNow(name);
      return { version: renewed.parsed.serial.colon, createdAt: renewed.parsed.notBefore };
    },
    // The replaced certificate stays valid until its own notAfter; revoking it is the caller's call.
    afterGrace: () => Promise.resolve("kept"),
  };
}
