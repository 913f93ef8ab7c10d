/**
 * Fuzzing the parsers of what the server sends for PKI: certificates (PEM, base64 DER, DER
 * bytes — random, and a real certificate with flipped bytes or characters), serials and
 * durations. Each yields a value or a TypeError (a CertificateParseError for certificates) —
 * never another exception.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { X509CertificateGenerator } from "@peculiar/x509";
import fc from "fast-check";
import {
  CertificateParseError,
  durationSeconds,
  formatSerial,
  parseCertificate,
  parseCertificates,
} from "../../../../runtime/engines/pki-parse";
import { fuzz, textAround } from "../../../support/fuzz";

const crypto = webcrypto as unknown as Crypto;
const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
let pem = "";
let der = new Uint8Array();

beforeAll(async () => {
  const keys = (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: "0a1b",
      name: "CN=fuzz.example.com",
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 3_600_000),
      signingAlgorithm: EC,
      keys,
    },
    crypto,
  );
  pem = cert.toString("pem");
  der = new Uint8Array(cert.rawData);
});

function certificateOnly(input: string | Uint8Array): void {
  try {
    parseCertificate(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateParseError);
  }
}

describe("PKI answers under fuzzing", () => {
  it("the valid seed of the mutations parses", () => {
    expect(parseCertificate(pem).commonName).toBe("fuzz.example.com");
    expect(parseCertificate(der).serial.hex).toBe("0a1b");
  });

  it("certificate text: random, mutated PEM, mutated base64 DER", () => {
    const base64 = fc.constant(0).chain(() => textAround(Buffer.from(der).toString("base64")));
    fuzz(
      "certificate text (parseCertificate, parseCertificates)",
      fc.oneof(textAround(pem), base64),
      (text) => {
        certificateOnly(text);
        try {
          parseCertificates(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CertificateParseError);
        }
      },
      800,
    );
  });

  it("certificate bytes: random, and DER with bytes flipped, cut or inserted", () => {
    const flipped = fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "cut", "insert")), { minLength: 1, maxLength: 6 })
      .map((edits) => {
        let bytes = Array.from(der);
        for (const [at, value, kind] of edits) {
          const i = at % bytes.length;
          if (kind === "set") bytes[i] = value;
          else if (kind === "cut") bytes = bytes.slice(0, i);
          else bytes.splice(i, 0, value);
          if (bytes.length === 0) bytes = [value];
        }
        return new Uint8Array(bytes);
      });
    fuzz("certificate DER bytes (parseCertificate)", fc.oneof(fc.uint8Array({ maxLength: 300 }), flipped, flipped), certificateOnly, 1_500);
  });

  it("serials and durations: a value or a TypeError", () => {
    fuzz(
      "serials and durations (formatSerial, durationSeconds)",
      fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f:]{0,40}$/), fc.stringMatching(/^[0-9]{0,6}[smhd]?$/), fc.double().map(String)),
      (text) => {
        for (const run of [() => formatSerial(text), () => durationSeconds(text), () => durationSeconds(Number(text))]) {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
          }
        }
      },
      1_500,
    );
  });
});
