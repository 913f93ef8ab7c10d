/** Entry point of the Pulumi example (`main: examples/pulumi/` in Pulumi.yaml); the exports are the stack outputs. */
import * as pulumi from "@pulumi/pulumi";
import { cassandraProgram, readConfig } from "./cassandra-program";

// Run by node or tsx directly there is no engine to register resources with: say how to run it
// instead of failing deep inside a resource's serialisation.
if (!pulumi.runtime.hasMonitor()) {
  process.stderr.write(
    "examples/pulumi is a Pulumi program: run it with `pulumi preview` or `pulumi up` from the repository root (Pulumi.yaml points here), not with node or tsx\n",
  );
  process.exit(2);
}

const outputs = cassandraProgram(readConfig());

/** Mount of the issuing CA. */
export const pkiMount = outputs.pkiMount;
/** KV v2 mount. */
export const kvMount = outputs.kvMount;
/** AppRole mount path. */
export const appRolePath = outputs.appRolePath;
/** The root certificate (PEM), for clients' trust stores. */
export const rootCertificate = outputs.rootCertificate;
