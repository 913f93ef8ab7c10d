/**
 * VaultClient: the facade an application holds. This first cut talks to one node with a
 * static token; clustering, auth methods, caching and leases arrive behind the same facade.
 */
import { Kv2Api } from "./engines/kv2";
import { SysApi } from "./engines/sys";
import { HttpTransport, HttpTransportOptions } from "./transport/http-transport";

/** Options of {@link VaultClient}; see {@link HttpTransportOptions}. */
export type VaultClientOptions = HttpTransportOptions;

/** Client for one Vault or OpenBao server. */
export class VaultClient {
  /** `sys/` endpoints. */
  public readonly sys: SysApi;
  private readonly transport: HttpTransport;
  private readonly kvMounts = new Map<string, Kv2Api>();

  constructor(options: VaultClientOptions) {
    this.transport = new HttpTransport(options);
    this.sys = new SysApi(this.transport);
  }

  /** The KV v2 mount at `mount`. @param mount mount path, e.g. `secret` */
  kv(mount = "secret"): Kv2Api {
    let api = this.kvMounts.get(mount);
    if (!api) {
      api = new Kv2Api(this.transport, mount);
      this.kvMounts.set(mount, api);
    }
    return api;
  }

  /** Release connections. */
  async close(): Promise<void> {
    await this.transport.close();
  }
}
