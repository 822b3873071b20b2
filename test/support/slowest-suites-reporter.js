// A jest reporter: at the end of a run, the ten slowest suites and the run's wall time, so a
// suite that grows slow is seen in every run (npm test must stay within 3 minutes on 2 cores).
class SlowestSuitesReporter {
  constructor() {
    this.suites = [];
  }

  onRunStart() {
    this.started = Date.now();
  }

  onTestResult(_test, result) {
    const { start, end } = result.perfStats;
    this.suites.push({ path: result.testFilePath, seconds: (end - start) / 1000 });
  }

  onRunComplete() {
    const root = `${process.cwd()}/`;
    const slowest = [...this.suites].sort((a, b) => b.seconds - a.seconds).slice(0, 10);
    const lines = slowest.map(({ path, seconds }) => `  ${seconds.toFixed(1).padStart(6)} s  ${path.replace(root, '')}`);
    const wall = ((Date.now() - this.started) / 1000).toFixed(1);
    process.stdout.write(`\nThe ten slowest suites:\n${lines.join('\n')}\njest wall time: ${wall} s for ${this.suites.length} suites\n`);
  }
}

module.exports = SlowestSuitesReporter;
