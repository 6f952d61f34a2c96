import type { TargetCheck } from './benchReport.js';
import { COLD_START_TARGETS, type ColdStartResults } from './coldStartBench.js';
import type { ConsumerCpuResults } from './consumerBench.js';
import type { MedianWithRange, PairedResults } from './pairedBench.js';

/** Rows and targets of the sections added by issue 18. */
export interface HeadlineSummary {
  /** Rows of the "paired rounds" table. */
  readonly pairedRows: unknown[][];
  /** Rows of the "cold start" table. */
  readonly coldStartRows: unknown[][];
  readonly targets: TargetCheck[];
}

const withRange = (value: MedianWithRange, unit = ''): string =>
  `${value.median.toLocaleString('en-US')}${unit} (${value.range.map((item) => `${item.toLocaleString('en-US')}${unit}`).join(' – ')})`;

/**
 * The tables and targets of the paired rounds, the cold starts and the consumer's CPU with the
 * shipped Hasura client beside the previous one (each absent when its section was not run and
 * the results file has none).
 */
export const buildHeadlineSummary = (sections: {
  readonly paired?: PairedResults | undefined;
  readonly coldStart?: ColdStartResults | undefined;
  readonly cpu?: ConsumerCpuResults | undefined;
}): HeadlineSummary => {
  const { paired, coldStart, cpu } = sections;
  const pairedRows: unknown[][] = [];
  const coldStartRows: unknown[][] = [];
  const targets: TargetCheck[] = [];
  if (paired !== undefined) {
    const rounds = `median of ${paired.rounds} rounds (range)`;
    pairedRows.push(
      [`(a) naive, users/s, ${rounds}`, withRange(paired.naive_users_per_s)],
      [`(b@100) consumer, users/s`, withRange(paired.batched_users_per_s)],
      [`(c) raw SQL, users/s`, withRange(paired.raw_sql_users_per_s)],
      [`(b@100) ÷ (a), per round`, withRange(paired.batched_vs_naive, '×')],
      [`(b@100) ÷ (c), per round`, withRange(paired.batched_vs_raw_sql, '×')],
      [
        `Hasura side (engine + PostgreSQL backends) CPU ms per 1,000 logins, (a)`,
        withRange(paired.naive_hasura_cpu_ms_per_1000),
      ],
      [`same, (b@100)`, withRange(paired.batched_hasura_cpu_ms_per_1000)],
      [
        `(c) raw SQL: its PostgreSQL backend's CPU ms per 1,000 logins (the database's floor)`,
        // Absent in a results file written before it was measured.
        paired.raw_sql_database_cpu_ms_per_1000 === undefined
          ? '—'
          : withRange(paired.raw_sql_database_cpu_ms_per_1000),
      ],
      [
        `Hasura-side CPU (a) ÷ (b@100), per round`,
        withRange(paired.hasura_cpu_naive_vs_batched, '×'),
      ],
    );
    const allRowsOk = paired.per_round.every((item) => item.rows_ok);
    targets.push(
      {
        name: '(b@100) vs (a) naive, median of rounds',
        target: '≥ 20×',
        measured: `${paired.batched_vs_naive.median}×`,
        met: paired.batched_vs_naive.median >= 20,
      },
      {
        name: '(b@100) vs (c) raw SQL, median of rounds',
        target: '≥ 0.8×',
        measured: `${paired.batched_vs_raw_sql.median}×`,
        met: paired.batched_vs_raw_sql.median >= 0.8,
      },
      {
        name: 'Hasura-side CPU per login, (a) ÷ (b@100), median of rounds',
        target: '≥ 25×',
        measured: `${paired.hasura_cpu_naive_vs_batched.median}×`,
        met: paired.hasura_cpu_naive_vs_batched.median >= 25,
      },
      {
        name: 'paired rounds: final rows correct',
        target: 'all',
        measured: allRowsOk ? 'all' : 'NOT all',
        met: allRowsOk,
      },
    );
  }
  if (coldStart !== undefined) {
    for (const item of [coldStart.bare, ...coldStart.functions]) {
      coldStartRows.push([
        item.name,
        item.bundle_kib.toLocaleString('en-US'),
        `${item.init_ms} (${item.init_ms_range.join(' – ')})`,
        `${item.vs_bare}×`,
        item.init_cpu_ms,
        `${item.cpu_vs_bare}×`,
      ]);
    }
    for (const item of coldStart.functions) {
      const wanted = COLD_START_TARGETS[item.name];
      if (wanted === undefined) continue;
      targets.push({
        name: `cold start ${item.name} ÷ bare node:https handler (wall; CPU)`,
        target: `≤ ${wanted}×`,
        measured: `${item.vs_bare}×; ${item.cpu_vs_bare}×`,
        met: item.vs_bare <= wanted,
      });
    }
  }
  if (cpu?.previous_client !== undefined && cpu.vs_previous_client !== undefined) {
    targets.push({
      name: 'consumer CPU, graphql-request ÷ previous client (per-pass pairs)',
      target: '≥ 0.9×',
      measured: `${cpu.vs_previous_client.median}× (${cpu.vs_previous_client.range.join(' – ')})`,
      met: cpu.vs_previous_client.median >= 0.9,
    });
  }
  return { pairedRows, coldStartRows, targets };
};

/** Header of the cold-start table. */
export const COLD_START_HEADER = [
  `function (bundled like the stack, imported in a fresh node)`,
  'bundle KiB',
  'init ms, median (range)',
  '× bare',
  'init CPU ms',
  '× bare (CPU)',
] as const;
