/**
 * Measures the per-call cost of the pre token generation trigger's pure core and of the
 * handler around it (no-op logger and metrics). A script, not a test: timings do not belong
 * in assertions. Run: `npx tsx test/unit/pre-token-generation/measurePerCall.ts`.
 */
import { performance } from 'node:perf_hooks';
import {
  addHasuraClaims,
  createPreTokenGenerationHandler,
  defaultPreTokenGenerationConfig,
  type PreTokenGenerationConfig,
} from '../../../services/pre-token-generation/index.js';
import { loadTokenEvent, type TokenEventFixture } from './tokenEvents.js';

const iterations = 100_000;
const rounds = 7;
const config: PreTokenGenerationConfig = {
  ...defaultPreTokenGenerationConfig,
  groupRoleMap: { Administrators: 'operator' },
};
const noop = (): void => undefined;
const handler = createPreTokenGenerationHandler({
  config,
  logger: { debug: noop, info: noop, warn: noop, error: noop },
  metrics: { addMetric: noop },
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const measureSync = (run: () => unknown): number => {
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) run();
    perCall.push(((performance.now() - start) * 1000) / iterations);
  }
  return median(perCall);
};

const measureAsync = async (run: () => Promise<unknown>): Promise<number> => {
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) await run();
    perCall.push(((performance.now() - start) * 1000) / iterations);
  }
  return median(perCall);
};

const fixtures: TokenEventFixture[] = [
  'preTokenGenerationV1',
  'preTokenGenerationV2',
  'preTokenGenerationV2RefreshTokens',
];
console.log(`node ${process.version}, ${iterations} calls x ${rounds} rounds, median µs/call`);
for (const name of fixtures) {
  const event = loadTokenEvent(name);
  const core = measureSync(() => addHasuraClaims(event, config));
  const wrapped = await measureAsync(() => handler(event));
  console.log(`${name}: addHasuraClaims ${core.toFixed(2)} µs, handler ${wrapped.toFixed(2)} µs`);
}
