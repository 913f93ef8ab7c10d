/** The cdktf app behind `cdktf synth` / `cdktf deploy` at the repository root (see cdktf.json). */
import { App } from "cdktf";
import { configureBackend } from "./backend";
import { addCassandraEstate } from "./cassandra-estate";
import { OneMountStack } from "./one-mount-stack";

const app = new App();
const stacks = [new OneMountStack(app, "one-mount", { mountPath: process.env.VAULTSMITH_KV_MOUNT ?? "kv-demo" }), addCassandraEstate(app)];
for (const stack of stacks) configureBackend(stack);
app.synth();
