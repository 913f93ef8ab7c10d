import { generateKeyPairSync } from "node:crypto";
import { inspect } from "node:util";
import { PkiNameNotAllowedError, PkiRoleNotFoundError, PrivateKey, VaultHttpError, sameSerial } from "../../../../runtime";
import { classifyPkiError } from "../../../../runtime/engines/pki-errors";
import { durationSeconds, formatSerial, pemBlocks } from "../../../../runtime/engines/pki-parse";
import { pkiNameBody } from "../../../../runtime/engines/pki";

describe("formatSerial", () => {
  it("prints Vault's colon form and plain hex from any input form", () => {
    for (const input of ["75:d8:ce:00:47", "75-D8-CE-00-47", "0x75d8ce0047", "75d8ce0047", 0x75d8ce0047n]) {
      const s = formatSerial(input);
      expect(s.colon).toBe("75:d8:ce:00:47");
      expect(s.hex).toBe("75d8ce0047");
      expect(s.value).toBe(0x75d8ce0047n);
    }
  });

  it("drops DER sign bytes and pads an odd digit count to whole bytes", () => {
    expect(formatSerial("00:9f:01").colon).toBe("9f:01");
    expect(formatSerial("f01").colon).toBe("0f:01");
    expect(formatSerial(1n).hex).toBe("01");
  });

  it("compares by value and serialises to JSON without the bigint", () => {
    expect(sameSerial("00:0a:1b", "A1B")).toBe(true);
    expect(sameSerial("0a:1b", "0a:1c")).toBe(false);
    expect(JSON.parse(JSON.stringify(formatSerial("0a:1b")))).toEqual({ colon: "0a:1b", hex: "0a1b" });
  });

  it("refuses what is not hex instead of matching nothing", () => {
    expect(() => formatSerial("zz:01")).toThrow(TypeError);
    expect(() => formatSerial("")).toThrow(TypeError);
    expect(() => formatSerial(-1n)).toThrow(TypeError);
  });
});

describe("durationSeconds", () => {
  it.each([
    ["720h", 2_592_000],
    ["1h30m", 5_400],
    ["90s", 90],
    ["3600", 3_600],
    ["2d", 172_800],
    [45, 45],
  ])("%s is %d s", (input, seconds) => expect(durationSeconds(input)).toBe(seconds));

  it.each(["", "forever", "10x", "1h junk", "-5s"])("refuses %p", (input) => expect(() => durationSeconds(input)).toThrow(TypeError));
  it("refuses negative and non-finite numbers", () => {
    expect(() => durationSeconds(-1)).toThrow(TypeError);
    expect(() => durationSeconds(Number.NaN)).toThrow(TypeError);
  });
});

describe("pemBlocks", () => {
  it("splits a bundle into labelled blocks in order", () => {
    const text =
      "-----BEGIN RSA PRIVATE KEY-----\nAA\n-----END RSA PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nBB\n-----END CERTIFICATE-----";
    expect(pemBlocks(text).map((b) => b.label)).toEqual(["RSA PRIVATE KEY", "CERTIFICATE"]);
    expect(pemBlocks(text)[1].pem).toBe("-----BEGIN CERTIFICATE-----\nBB\n-----END CERTIFICATE-----");
  });
});

describe("pkiNameBody", () => {
  const fail = (field: string, detail: string): Error => new Error(`${field}: ${detail}`);

  it("moves IPs to ip_sans and URIs to uri_sans, comma-joins every list, and sends the TTL in seconds", () => {
    expect(
      pkiNameBody(
        { common_name: "n.example.com", alt_names: "n, 10.0.1.100,::1,spiffe://x/y,ops@example.com", ip_sans: ["10.0.0.1"], ttl: "720h" },
        fail,
      ),
    ).toEqual({
      common_name: "n.example.com",
      alt_names: "n,ops@example.com",
      ip_sans: "10.0.0.1,10.0.1.100,::1",
      uri_sans: "spiffe://x/y",
      ttl: "2592000s",
    });
  });

  it("sends alt_names untouched when splitting is off, and reports a bad TTL through fail()", () => {
    expect(pkiNameBody({ alt_names: ["10.0.1.100"], split_alt_names: false }, fail)).toEqual({ alt_names: "10.0.1.100" });
    expect(() => pkiNameBody({ ttl: "soon" }, fail)).toThrow(/^ttl: /);
  });
});

describe("classifyPkiError", () => {
  const http = (message: string, status = 400): VaultHttpError => new VaultHttpError("POST", "pki/issue/web", status, [message], "req-1");

  it("names the missing role and keeps status, path and request id", () => {
    const error = classifyPkiError(http("unknown role: web"), "web");
    expect(error).toBeInstanceOf(PkiRoleNotFoundError);
    expect(error).toMatchObject({ role: "web", status: 400, path: "pki/issue/web", requestId: "req-1" });
  });

  it("names the refused common name or SAN", () => {
    expect(classifyPkiError(http("common name evil.org not allowed by this role"), "web")).toMatchObject({
      kind: "common name",
      refusedName: "evil.org",
    });
    const san = classifyPkiError(http("subject alternate name 10.0.1.100 not allowed by this role"), "web");
    expect(san).toBeInstanceOf(PkiNameNotAllowedError);
    expect(san).toMatchObject({ kind: "subject alternative name", refusedName: "10.0.1.100" });
  });

  it("leaves other errors alone", () => {
    const other = http("unknown role: web", 403);
    expect(classifyPkiError(other, "web")).toBe(other);
    const plain = new Error("x");
    expect(classifyPkiError(plain, "web")).toBe(plain);
  });
});

describe("PrivateKey", () => {
  it("shows only its type in inspect, JSON and strings, and hands the key out on request", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const key = new PrivateKey(pem);
    const shown = `${inspect({ key }, { showHidden: true, depth: 5 })}${JSON.stringify({ key })}${String(key)}${key}`;
    expect(shown).not.toContain(pem.split("\n")[1]);
    expect(shown).toContain("PrivateKey(ec, redacted)");
    expect(JSON.parse(JSON.stringify(key))).toEqual({ type: "ec", redacted: true });
    expect(key.pem()).toBe(pem);
    expect(new PrivateKey(key.der().toString("base64"), "pkcs8").pem()).toBe(pem);
  });

  it("refuses a public key", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => new PrivateKey(publicKey)).toThrow(TypeError);
  });
});
