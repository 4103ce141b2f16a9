// Prints "N passed, N failed" from vitest's JSON report; exits 1 when the report is missing, empty or has failures.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest/results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log('0 passed, 0 failed');
  console.error(`no test report at ${file}: ${error.message}`);
  process.exit(1);
}
const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTotalTests: total } = report;
const failedSuites = report.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
);
for (const suite of failedSuites) console.error(`suite failed to run: ${suite.name}\n${suite.message}`);
console.log(`${passed} passed, ${failed + failedSuites.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failedSuites.length > 0 || total === 0 ? 1 : 0);
