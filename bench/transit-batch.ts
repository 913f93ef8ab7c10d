/**
 * `npm run bench:transit`: transit batch encryption throughput (items per second) on one real
 * OpenBao dev server — vaultsmith's `encryptBatch` against bare undici requests doing the same
 * work — in the same run, reported as a ratio. Asserts nothing (numbers vary by machine).
 *
 * Both sides do everything a caller needs: base64-encode each plaintext, split the batch below
 * OpenBao's 1,000-JSON-strings limit (bare: 499 items per request; vaultsmith 498, as its
 * encrypt body also names the no-upsert type), send the parts with the same number in flight over
 * a keep-alive pool, parse the answers and check every item succeeded. vaultsmith adds its
 * routing, retry policy, metrics, the per-item result objects and the typed-error plumbing.
 * Rounds alternate between the two, so server-side effects hit both alike; decryption of the same
 * batch is measured too.
 *
 * Environment: `BENCH_TRANSIT_ITEMS` per batch (default 10000), `BENCH_TRANSIT_ROUNDS` (default 21),
 * `BENCH_TRANSIT_BYTES` plaintext size (default 64).
 */
import { randomBytes } from "node:crypto";
import { Agent, request } from "undici";
import { VaultClient } from "../runtime";
import { startDevServer } from "../test/support/dev-server";
import { buildServers } from "../tools/server-build";
import type { BenchTarget } from "./pki-issuance";
import { median, pool, timed } from "./support/stats";

const ITEMS = Number(process.env.BENCH_TRANSIT_ITEMS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_TRANSIT_ROUNDS ?? 21);
const BYTES = Number(process.env.BENCH_TRANSIT_BYTES ?? 64);
/** Items per bare request: `batch_input` plus two strings per item stays within 1,000 strings. */
const BARE_CHUNK = 499;

interface BatchAnswer {
  readonly data?: {
    readonly batch_results?: readonly { readonly ciphertext?: string; readonly plaintext?: string; readonly error?: string }[];
  };
}

/** One transit scenario: items per second through vaultsmith and bare undici. */
export interface TransitRow {
  /** Operation and concurrency. */
  readonly label: string;
  /** vaultsmith, items/s (median round). */
  readonly vaultsmith: number;
  /** Bare undici, items/s (median round). */
  readonly bare: number;
}

/** Encrypt and decrypt batches of `items` plaintexts on `server`, `rounds` times each, alternating with bare requests. */
export async function runTransitBatch(server: BenchTarget, items = ITEMS, rounds = ROUNDS, bytes = BYTES): Promise<TransitRow[]> {
  const ITEMS = items;
  const ROUNDS = rounds;
  const BYTES = bytes;
  const client = new VaultClient({ address: server.address, token: server.token });
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  try {
    await request(`${server.address}/v1/sys/mounts/transit`, {
      method: "POST",
      dispatcher: agent,
      headers: { "x-vault-token": server.token },
      body: JSON.stringify({ type: "transit" }),
    }).then((res) => res.body.text());
    const transit = client.transit();
    await transit.createKey("bench");
    const plaintexts = Array.from({ length: ITEMS }, () => new Uint8Array(randomBytes(BYTES)));

    /** Bare undici: the same batch in parts of BARE_CHUNK, `concurrency` in flight; returns what it got. */
    const bare = async (operation: "encrypt" | "decrypt", inputs: readonly string[], concurrency: number): Promise<string[]> => {
      const out = new Array<string>(inputs.length);
      const field = operation === "encrypt" ? "plaintext" : "ciphertext";
      await pool(Math.ceil(inputs.length / BARE_CHUNK), concurrency, async (part) => {
        const start = part * BARE_CHUNK;
        const slice = inputs.slice(start, start + BARE_CHUNK);
        const res = await request(`${server.address}/v1/transit/${operation}/bench`, {
          method: "POST",
          dispatcher: agent,
          headers: { "x-vault-token": server.token, "content-type": "application/json" },
          body: JSON.stringify({ batch_input: slice.map((value) => ({ [field]: value })) }),
        });
        const answer = (await res.body.json()) as BatchAnswer;
        const results = answer.data?.batch_results ?? [];
        if (res.statusCode !== 200 || results.length !== slice.length) throw new Error(`bare ${operation} answered HTTP ${res.statusCode}`);
        results.forEach((r, i) => {
          const value = operation === "encrypt" ? r.ciphertext : r.plaintext;
          if (r.error || value === undefined) throw new Error(`bare ${operation} item ${start + i} failed`);
          out[start + i] = value;
        });
      });
      return out;
    };

    const scenarios: { label: string; vaultsmith: () => Promise<void>; bare: () => Promise<void> }[] = [];
    let ciphertexts: string[] = [];
    for (const concurrency of [1, 4]) {
      scenarios.push({
        label: `encrypt, ${concurrency} request(s) in flight`,
        vaultsmith: async () => {
          const results = await transit.encryptBatch("bench", plaintexts, { concurrency });
          if (results.some((r) => !r.ok)) throw new Error("vaultsmith encrypt had failures");
          ciphertexts = results.map((r) => (r.ok ? r.value.ciphertext : ""));
        },
        bare: async () => {
          await bare(
            "encrypt",
            plaintexts.map((p) => Buffer.from(p).toString("base64")),
            concurrency,
          );
        },
      });
    }
    scenarios.push({
      label: "decrypt, 4 requests in flight",
      vaultsmith: async () => {
        const results = await transit.decryptBatch("bench", ciphertexts, { concurrency: 4 });
        if (results.some((r) => !r.ok)) throw new Error("vaultsmith decrypt had failures");
      },
      bare: async () => {
        const out = await bare("decrypt", ciphertexts, 4);
        out.forEach((b64) => Buffer.from(b64, "base64"));
      },
    });

    console.log(`bench on OpenBao ${server.version}: batches of ${ITEMS} items of ${BYTES} bytes, ${ROUNDS} rounds (median), aes256-gcm96`);
    const rows: TransitRow[] = [];
    for (const scenario of scenarios) {
      // Warm-up rounds for each side (connections, JIT, the key in OpenBao's cache).
      for (let i = 0; i < 2; i++) {
        await scenario.vaultsmith();
        await scenario.bare();
      }
      const vs: number[] = [];
      const raw: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          vs.push(await timed(scenario.vaultsmith));
          raw.push(await timed(scenario.bare));
        } else {
          raw.push(await timed(scenario.bare));
          vs.push(await timed(scenario.vaultsmith));
        }
      }
      const vsRate = (ITEMS / median(vs)) * 1000;
      const rawRate = (ITEMS / median(raw)) * 1000;
      rows.push({ label: scenario.label, vaultsmith: vsRate, bare: rawRate });
      console.log(
        `  ${scenario.label.padEnd(32)} vaultsmith ${vsRate.toFixed(0).padStart(7)} items/s   bare undici ${rawRate
          .toFixed(0)
          .padStart(7)} items/s   ratio ${(vsRate / rawRate).toFixed(2)}`,
      );
    }
    return rows;
  } finally {
    await client.close();
    await agent.close();
  }
}

async function main(): Promise<void> {
  buildServers(["openbao"]);
  const server = await startDevServer("openbao");
  try {
    await runTransitBatch(server);
  } finally {
    await server.stop();
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
