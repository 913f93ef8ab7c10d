/** The cdktf app behind `cdktf synth` / `cdktf deploy` at the repository root (see cdktf.json). */
import { App } from "cdktf";
import { addCassandraEstate } from "./cassandra-estate";
import { OneMountStack } from "./one-mount-stack";

const app = new App();
new OneMountStack(app, "one-mount", { mountPath: process.env.VAULTSMITH_KV_MOUNT ?? "kv-demo" });
addCassandraEstate(app);
app.synth();
