/**
 * `npm run test:faults`: fault-injection scenarios over the local stack (moto + the
 * Hasura-compatible engine + the SQS poller + the real handlers). Each scenario prints its
 * figure; the run ends with the plain line `N passed, M failed` and exits non-zero when M > 0.
 *
 * Flags: `--only <text>` runs the scenarios whose name contains the text; `--quick` shortens
 * the Hasura outage to 15 s over 1,500 logins.
 */
import { applicationWritesScenario } from './applicationWrites.js';
import { eventBridgeFaultScenario } from './eventBridgeFaults.js';
import type { FaultScenario } from './faultHelpers.js';
import { hasuraOutageScenario } from './hasuraOutage.js';
import { lifecycleChurnScenario } from './lifecycleChurn.js';
import { malformedMessagesScenario } from './malformedMessages.js';
import { poisonRecordsScenario } from './poisonRecords.js';
import { shuffledStreamScenario } from './shuffledStream.js';

// Metrics would print one EMF line per invocation; the scenarios read the stack's counters.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').toLowerCase() : undefined;

const scenarios: FaultScenario[] = [
  hasuraOutageScenario(quick ? { logins: 1500, users: 300, outageMs: 15_000 } : {}),
  poisonRecordsScenario(),
  shuffledStreamScenario(),
  eventBridgeFaultScenario({ mode: 'throttling', firstUser: 100_000 }),
  eventBridgeFaultScenario({ mode: 'hung', firstUser: 200_000 }),
  malformedMessagesScenario(),
  applicationWritesScenario(),
  lifecycleChurnScenario(),
].filter((scenario) => only === undefined || scenario.name.toLowerCase().includes(only));

const main = async (): Promise<number> => {
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  for (const scenario of scenarios) {
    const scenarioStart = Date.now();
    console.log(`▶ ${scenario.name}`);
    try {
      const outcome = await scenario.run();
      const seconds = ((Date.now() - scenarioStart) / 1000).toFixed(1);
      console.log(`  ${outcome.passed ? 'PASS' : 'FAIL'} (${seconds} s): ${outcome.figure}`);
      for (const problem of outcome.problems ?? []) console.log(`    problem: ${problem}`);
      if (outcome.passed) passed += 1;
      else failed += 1;
    } catch (error) {
      failed += 1;
      console.log(
        `  FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
};

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error);
    console.log(`0 passed, ${scenarios.length} failed`);
    process.exit(1);
  });
