/**
 * A spinner on stderr while a command waits on the server (detect, cert, policy test --live), so a
 * slow or failing-over server does not look like a hung command. It runs only on an interactive
 * terminal: piped, redirected, under CI or with TERM=dumb nothing is written, so logs and JSON
 * output stay clean.
 *
 * ora 5 is the spinner: the last major that loads from CommonJS on Node 20 (ora 6+ and
 * yocto-spinner are ESM-only), it writes to the stream it is given and restores the cursor on exit.
 * nanospinner was rejected: it decides "TTY" from stdout once at import time and calls
 * `process.exit` on SIGINT while spinning.
 */
import ora from "ora";
import { CliIo, ProgressStream } from "./cli-io";

/** Whether a spinner may draw on `stream` given the environment `env`. */
export function spinnerEnabled(stream: ProgressStream | undefined, env: CliIo["env"]): stream is ProgressStream {
  return stream?.isTTY === true && env.TERM !== "dumb" && env.CI === undefined;
}

/**
 * Run `work` with a spinner labelled `text` on `io.progress` when that is a terminal. The spinner
 * line is cleared when the work ends, however it ends, so the command's own output follows as if
 * there had been none.
 */
export async function withProgress<T>(io: CliIo, text: string, work: () => Promise<T>): Promise<T> {
  if (!spinnerEnabled(io.progress, io.env)) return work();
  const spinner = ora({ text, stream: io.progress, isEnabled: true, discardStdin: false }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}
