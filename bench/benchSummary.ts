import { readFile } from 'node:fs/promises';
import type { TargetCheck, VariantResult } from './benchReport.js';
import { round } from './benchStats.js';
import type { ColdStartResults } from './coldStartBench.js';
import type {
  ConsumerBenchResults,
  ConsumerCpuFigures,
  ConsumerCpuResults,
} from './consumerBench.js';
import type { EndToEndResults } from './endToEndBench.js';
import type { PairedResults } from './pairedBench.js';
import type { PostAuthResults } from './postAuthBench.js';

/** The sections a run measured (any may be skipped with `--only`). */
export interface BenchSections {
  readonly consumer?: ConsumerBenchResults | undefined;
  readonly cpu?: ConsumerCpuResults | undefined;
  readonly postAuth?: PostAuthResults | undefined;
  readonly endToEnd?: EndToEndResults | undefined;
  readonly paired?: PairedResults | undefined;
  readonly coldStart?: ColdStartResults | undefined;
}

/** What {@link buildSummary} derives: the results document, extra table rows and targets. */
export interface BenchSummary {
  readonly results: Record<string, unknown>;
  readonly otherRows: unknown[][];
  readonly targets: TargetCheck[];
}

const find = (variants: readonly VariantResult[], prefix: string): VariantResult | undefined =>
  variants.find((variant) => variant.name.startsWith(prefix));

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || b === 0 ? undefined : round(a / b, 2);

/**
 * Flattens the measured sections into `bench/results.json` (the README's keys:
 * `consumer.naive_users_per_s`, `consumer.batched_users_per_s`, `consumer.raw_sql_users_per_s`,
 * `consumer.requests_per_1000_events`, `consumer.cpu_records_per_s`, `post_auth.hung_ms_max`,
 * and the ratios) and checks the targets of issue 9.
 */
export const buildSummary = (sections: BenchSections): BenchSummary => {
  const { consumer, cpu, postAuth, endToEnd } = sections;
  const variants = consumer?.variants ?? [];
  const naive = find(variants, '(a)');
  const batch10 = find(variants, '(b) consumer, batch 10,');
  const batch100 = find(variants, '(b) consumer, batch 100, 2 in flight (guard)');
  const where = find(variants, '(b) consumer, batch 100, 2 in flight (where)');
  const rawSql = find(variants, '(c)');
  const ratios = {
    batched_vs_naive: ratio(batch100?.users_per_s, naive?.users_per_s),
    batched_vs_raw_sql: ratio(batch100?.users_per_s, rawSql?.users_per_s),
    batch100_vs_batch10: ratio(batch100?.users_per_s, batch10?.users_per_s),
    where_vs_guard: ratio(where?.users_per_s, batch100?.users_per_s),
  };
  const results: Record<string, unknown> = {
    consumer: {
      logins: consumer?.logins,
      users: consumer?.users,
      naive_users_per_s: naive?.users_per_s,
      batched_users_per_s: batch100?.users_per_s,
      batched_10_users_per_s: batch10?.users_per_s,
      where_mode_users_per_s: where?.users_per_s,
      raw_sql_users_per_s: rawSql?.users_per_s,
      requests_per_1000_events: batch100?.requests_per_1000_events,
      naive_requests_per_1000_events: naive?.requests_per_1000_events,
      batched_10_requests_per_1000_events: batch10?.requests_per_1000_events,
      cpu_records_per_s: cpu?.records_per_cpu_s,
      cpu_wall_records_per_s: cpu?.wall_records_per_s,
      cpu: cpu,
      variants,
    },
    post_auth: postAuth,
    end_to_end: endToEnd,
    ratios,
  };

  const otherRows: unknown[][] = [];
  if (cpu !== undefined) {
    otherRows.push([
      `consumer CPU, instant Hasura: records per CPU-second (median of ${cpu.passes} warm passes; range; ${cpu.node_options})`,
      `${cpu.records_per_cpu_s.toLocaleString('en-US')} (${cpu.records_per_cpu_s_range.map((value) => value.toLocaleString('en-US')).join(' – ')})`,
    ]);
    // Absent in a results file written before it was measured.
    const defaults = cpu.default_young_generation as ConsumerCpuFigures | undefined;
    if (defaults !== undefined) {
      otherRows.push([
        `same, V8's default young generation (${defaults.node_options})`,
        `${defaults.records_per_cpu_s.toLocaleString('en-US')} (${defaults.records_per_cpu_s_range.map((value) => value.toLocaleString('en-US')).join(' – ')})`,
      ]);
    }
    if (cpu.previous_client !== undefined && cpu.vs_previous_client !== undefined) {
      otherRows.push([
        'same, previous Hasura client (no graphql-request), passes alternating in the same process',
        `${cpu.previous_client.records_per_cpu_s.toLocaleString('en-US')} (${cpu.previous_client.records_per_cpu_s_range.map((value) => value.toLocaleString('en-US')).join(' – ')}); graphql-request ÷ previous ${cpu.vs_previous_client.median}× (${cpu.vs_previous_client.range.join(' – ')})`,
      ]);
    }
    otherRows.push([
      'consumer, instant Hasura: records/s wall (2 batches in flight)',
      cpu.wall_records_per_s.toLocaleString('en-US'),
    ]);
  }
  for (const scenario of postAuth?.scenarios ?? []) {
    otherRows.push([
      `trigger, EventBridge ${scenario.eventbridge}: p50 / p99 / max ms`,
      `${scenario.handler_ms.p50} / ${scenario.handler_ms.p99} / ${scenario.handler_ms.max}` +
        (scenario.own_time_ms === undefined
          ? ''
          : ` (own time beyond PutEvents p50 / p99 ${scenario.own_time_ms.p50} / ${scenario.own_time_ms.p99})`),
    ]);
  }
  if (endToEnd !== undefined) {
    otherRows.push([
      'end to end: logins/s, trigger to row',
      endToEnd.logins_per_s.toLocaleString('en-US'),
    ]);
    otherRows.push([
      'end to end: lag p50 / p99 ms',
      `${endToEnd.lag_p50_ms} / ${endToEnd.lag_p99_ms}`,
    ]);
  }

  const targets: TargetCheck[] = [];
  // The ratio targets ((b@100) ÷ (a) ≥ 20×, ÷ (c) ≥ 0.8×) are decided by the paired rounds
  // (headlineSummary.ts), not by this section's single run of each variant.
  if (batch100 !== undefined) {
    targets.push({
      name: 'Hasura requests / 1,000 events (batch 100)',
      target: '≤ 10',
      measured: String(batch100.requests_per_1000_events),
      met: batch100.requests_per_1000_events <= 10,
    });
  }
  if (variants.length > 0) {
    const wrong = variants.filter((variant) => !variant.correct).map((variant) => variant.name);
    targets.push({
      name: 'final rows correct in every variant',
      target: 'all',
      measured: wrong.length === 0 ? 'all' : `wrong: ${wrong.join('; ')}`,
      met: wrong.length === 0,
    });
  }
  if (cpu !== undefined) {
    targets.push({
      name: 'consumer CPU (records per CPU-second)',
      target: '≥ 100,000',
      measured: cpu.records_per_cpu_s.toLocaleString('en-US'),
      met: cpu.records_per_cpu_s >= 100_000,
    });
  }
  if (postAuth !== undefined) {
    targets.push({
      name: 'trigger never over budget, EventBridge hung',
      target: `≤ ${postAuth.budget_ms} ms`,
      measured: `${postAuth.hung_ms_max} ms`,
      met: postAuth.hung_ms_max <= postAuth.budget_ms,
    });
    targets.push({
      name: 'trigger never over budget, EventBridge and SQS hung',
      target: `≤ ${postAuth.budget_ms} ms`,
      measured: `${postAuth.both_hung_ms_max} ms`,
      met: postAuth.both_hung_ms_max <= postAuth.budget_ms,
    });
    targets.push({
      name: 'trigger overhead beyond PutEvents, p99',
      target: '< 2 ms',
      measured: `${postAuth.overhead_p99_ms} ms`,
      met: postAuth.overhead_p99_ms < 2,
    });
  }
  if (endToEnd !== undefined) {
    targets.push({
      name: 'end to end: every user synced',
      target: 'all',
      measured:
        `${endToEnd.users_synced}/${endToEnd.users}` +
        (endToEnd.publish_failed > 0
          ? ` (${endToEnd.publish_failed} sign-ins unconfirmed within the trigger budget: moto answered late)`
          : ''),
      met: endToEnd.users_synced === endToEnd.users,
    });
  }
  return { results, otherRows, targets };
};

/**
 * The sections of an existing `bench/results.json` (for `--only`: what is not re-run keeps its
 * figures). The file is this tool's own output, read back as written; a missing or unreadable
 * file gives no sections.
 *
 * @param path - the results file.
 */
export const readPreviousResults = async (path: string): Promise<BenchSections> => {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as {
      consumer?: {
        logins?: number;
        users?: number;
        variants?: VariantResult[];
        cpu?: ConsumerCpuResults;
      };
      post_auth?: PostAuthResults;
      end_to_end?: EndToEndResults;
      paired?: PairedResults;
      cold_start?: ColdStartResults;
    };
    const { consumer } = json;
    return {
      consumer:
        consumer?.variants === undefined || consumer.variants.length === 0
          ? undefined
          : {
              logins: consumer.logins ?? 0,
              users: consumer.users ?? 0,
              variants: consumer.variants,
            },
      cpu: consumer?.cpu ?? undefined,
      postAuth: json.post_auth ?? undefined,
      endToEnd: json.end_to_end ?? undefined,
      paired: json.paired ?? undefined,
      coldStart: json.cold_start ?? undefined,
    };
  } catch {
    return {};
  }
};
