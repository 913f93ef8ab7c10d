/**
 * Where the example stacks keep their Terraform state. The state of a Vault estate holds secrets
 * in clear (the Cassandra admin password, an LDAP bind password: the provider has no write-only
 * argument for them), so it must never be a file in a clone or on a throwaway CI runner (the
 * nightly drift plan would see every resource as "create").
 *
 * The documented choice is an S3 bucket (versioned, encrypted at rest with a KMS key, access
 * logged, readable only by the deploy role and — read-only — by the drift job), with Terraform's
 * own S3 lock file (`use_lockfile`, Terraform ≥ 1.10, no DynamoDB table). Any other backend
 * works the same way: cdktf's `GcsBackend`, `AzurermBackend`, `CloudBackend`.
 *
 *   VAULTSMITH_STATE_BUCKET=acme-vault-state   (unset: local state, for a dev server only)
 *   VAULTSMITH_STATE_REGION=eu-west-1          (default: AWS_REGION)
 *   VAULTSMITH_STATE_KMS_KEY=arn:aws:kms:...   (default: the bucket's default encryption)
 */
import { S3Backend, TerraformStack } from "cdktf";

/** Configure `stack`'s backend from the environment (see the module comment). */
export function configureBackend(stack: TerraformStack, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const bucket = env.VAULTSMITH_STATE_BUCKET;
  if (!bucket) return;
  const region = env.VAULTSMITH_STATE_REGION ?? env.AWS_REGION;
  if (!region) throw new Error("VAULTSMITH_STATE_BUCKET needs VAULTSMITH_STATE_REGION (or AWS_REGION)");
  new S3Backend(stack, {
    bucket,
    key: `vaultsmith/${stack.node.id}.tfstate`,
    region,
    encrypt: true,
    ...(env.VAULTSMITH_STATE_KMS_KEY ? { kmsKeyId: env.VAULTSMITH_STATE_KMS_KEY } : {}),
  });
  // cdktf 0.21's S3Backend predates S3-native locking (Terraform >= 1.10).
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
