/**
 * Prints one closing line, `tests: N passed, N failed[, N skipped]`, after vitest's own report, so the run
 * can be judged from its output in any CI that reads that plain form.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    this.line = `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // The default reporter prints its summary after every onTestRunEnd hook; print ours last of all.
    process.once('exit', () => process.stdout.write(`\n${this.line}\n`));
  }
}
