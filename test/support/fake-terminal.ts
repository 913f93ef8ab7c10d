/** A stand-in for a terminal on stderr, for testing what the CLI draws there (spinners). */
import { Writable } from "node:stream";
import { ProgressStream } from "../../cli/cli-io";

/** A terminal as far as a spinner can tell: records what is drawn and every line clear. */
export class FakeTerminal extends Writable implements ProgressStream {
  /** True: drawn on like a terminal; false: a pipe. */
  public readonly isTTY: boolean;
  public readonly columns = 80;
  /** `write:<text>` per write, `clear` per line clear, in order. */
  public readonly events: string[] = [];
  constructor(isTTY = true) {
    super();
    this.isTTY = isTTY;
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.events.push(`write:${chunk.toString()}`);
    done();
  }
  clearLine(): boolean {
    this.events.push("clear");
    return true;
  }
  cursorTo(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
}
