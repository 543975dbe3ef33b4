// Progress of a long run on a terminal (cli-progress: one redrawn line, no output at all when disabled,
// so CI logs stay quiet).
import { SingleBar } from "cli-progress";

export class Progress {
  private bar: SingleBar | undefined;
  constructor(private readonly enabled: boolean) {}

  start(total: number): void {
    if (!this.enabled || total === 0) return;
    this.bar = new SingleBar({
      format: "  {bar} {value}/{total} checks  {check}",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stdout,
    });
    this.bar.start(total, 0, { check: "" });
  }

  update(done: number, check: string): void {
    this.bar?.update(done, { check });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
