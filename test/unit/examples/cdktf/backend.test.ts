import { Testing } from "cdktf";
import { configureBackend } from "../../../../examples/cdktf/backend";
import { OneMountStack } from "../../../../examples/cdktf/one-mount-stack";

interface Json {
  terraform: { backend?: Record<string, Record<string, unknown>> };
}

describe("examples/cdktf/backend", () => {
  it("keeps state in an encrypted S3 bucket with S3-native locking when a bucket is given", () => {
    const stack = new OneMountStack(Testing.app(), "one-mount");
    configureBackend(stack, { VAULTSMITH_STATE_BUCKET: "acme-vault-state", AWS_REGION: "eu-west-1", VAULTSMITH_STATE_KMS_KEY: "arn:k" });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "acme-vault-state",
        key: "vaultsmith/one-mount.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "arn:k",
        use_lockfile: true,
      },
    });
  });

  it("leaves the local backend without a bucket, and wants a region with one", () => {
    const stack = new OneMountStack(Testing.app(), "one-mount");
    configureBackend(stack, {});
    expect((JSON.parse(Testing.synth(stack)) as Json).terraform.backend).toBeUndefined();
    expect(() => configureBackend(new OneMountStack(Testing.app(), "x"), { VAULTSMITH_STATE_BUCKET: "b" })).toThrow(
      "VAULTSMITH_STATE_BUCKET needs VAULTSMITH_STATE_REGION (or AWS_REGION)",
    );
  });
});
