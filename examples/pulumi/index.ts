/** Entry point of the Pulumi example (`main: examples/pulumi/` in Pulumi.yaml); the exports are the stack outputs. */
import { cassandraProgram, readConfig } from "./cassandra-program";

const outputs = cassandraProgram(readConfig());

/** Mount of the issuing CA. */
export const pkiMount = outputs.pkiMount;
/** KV v2 mount. */
export const kvMount = outputs.kvMount;
/** AppRole mount path. */
export const appRolePath = outputs.appRolePath;
/** The root certificate (PEM), for clients' trust stores. */
export const rootCertificate = outputs.rootCertificate;
