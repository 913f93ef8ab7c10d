/**
 * Global setup of `npm run test:deploy`: the integration harness's setup, then the provider
 * preflight. Without terraform or an installable terraform-provider-vault the run stops here, at
 * once, with what is missing and how to provide it — before any server starts.
 */
import globalSetup from "../../support/global-setup";
import globalTeardown from "../../support/global-teardown";
import { checkProviderInstallable } from "./terraform";

export default async function deployGlobalSetup(): Promise<void> {
  globalSetup();
  try {
    const found = await checkProviderInstallable();
    process.env.VAULTSMITH_DEPLOY_PROVIDER = found.providerVersion;
    process.stderr.write(`[vaultsmith] terraform ${found.terraformVersion}, terraform-provider-vault ${found.providerVersion}\n`);
  } catch (error) {
    globalTeardown();
    throw error;
  }
}
