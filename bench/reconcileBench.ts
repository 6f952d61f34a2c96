/**
 * The reconcile benchmark (`npx tsx bench/reconcileBench.ts [--users N] [--moto-users N]`):
 *
 * 1. CPU per user and peak memory of one reconcile run (the CLI's core, `reconcilePool`, wired by
 *    `composeReconcile`) over a pool of 100,000 users with Cognito, EventBridge and Hasura
 *    answering instantly at the HTTP level (a child process, so its CPU is not counted), with 1%
 *    missing, 1% stale and 5 orphaned rows; plus what the run keeps per user, and a projection
 *    for 1,000,000 users.
 * 2. Wall time of a dry run over 20,000 users on moto (the rate limit off; the users table from
 *    an in-process fake Hasura), after creating them (the slow part, reported apart).
 *
 * Prints one JSON object. Targets: ≤ 20 µs CPU per user, ≤ 200 MB peak RSS at 100,000 users.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { startMotoServer } from '../local/motoServer.js';
import { composeReconcile } from '../services/reconcile/compose.js';
import { USERS_PER_PARTITION } from '../services/reconcile/partitions.js';
import { reconcilePool } from '../services/reconcile/reconcilePool.js';
import { createUserPool } from '../test/helpers/awsResources.js';
import { startFakeHasura } from '../test/helpers/fakeHasuraServer.js';
import {
  createCognitoUsers,
  FakeTable,
  fakeUser,
  rowOf,
  usersTableResponder,
} from '../test/helpers/reconcileWorld.js';
import { sampleRss } from './benchStats.js';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap bytes per entry of a Set of subs as the SDK hands them over (strings of a parsed JSON
 * answer): what a run keeps per listed user.
 */
const bytesPerListedUser = (): number => {
  const count = 100_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const seen = new Set<string>();
  for (let n = 0; n < count; n += 1) {
    seen.add((JSON.parse(`{"sub":"${crypto.randomUUID()}"}`) as { sub: string }).sub);
  }
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  if (seen.size !== count) throw new Error('lost subs');
  return Math.round(bytes);
};

const clientsFor = (endpoint: string) => ({
  cognito: new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
  }),
  eventBridge: new EventBridgeClient({ endpoint, region: REGION, credentials: CREDENTIALS }),
});

/** Part 1: instant endpoints in a child process, reconcile measured in this one. */
const instantRun = async (users: number) => {
  const child = fork(
    fileURLToPath(new URL('./reconcileInstantServer.ts', import.meta.url)),
    [String(users)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instant server exited (${code})`)));
    child.on('message', (message: { endpoint: string }) => resolve(message.endpoint));
  });
  const clients = clientsFor(endpoint);
  try {
    const { dependencies, settings } = composeReconcile({
      env: {
        HASURA_GRAPHQL_ENDPOINT: `${endpoint}/v1/graphql`,
        HASURA_ADMIN_SECRET: 'bench',
      },
      ...clients,
      overrides: { userPoolId: 'us-east-1_Bench', rate: Number.POSITIVE_INFINITY },
    });
    gc();
    const baselineRss = process.memoryUsage.rss();
    const rss = sampleRss(50);
    // First run: cold (the SDK loads its protocol code and V8 compiles on first use).
    const coldCpu = process.cpuUsage();
    await reconcilePool(dependencies, settings, { prefixLength: 0 });
    const cold = process.cpuUsage(coldCpu);
    // Second run: warm, what each further user costs.
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await reconcilePool(dependencies, settings, { prefixLength: 0 });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const peakRssMiB = rss.stop();
    const cpuUs = used.user + used.system;
    // The SDK's share: the same ListUsers pages, nothing else.
    const sdkCpu = process.cpuUsage();
    let token: string | undefined;
    do {
      const page = await clients.cognito.send(
        new ListUsersCommand({
          UserPoolId: 'us-east-1_Bench',
          Limit: 60,
          ...(token ? { PaginationToken: token } : {}),
        }),
      );
      token = page.PaginationToken;
    } while (token);
    const sdkUsed = process.cpuUsage(sdkCpu);
    // The users-table reads' share: one query of 60 subs per page, nothing else.
    const readCpu = process.cpuUsage();
    for (let start = 0; start < users; start += 60) {
      const subs: string[] = [];
      for (let n = start; n < Math.min(start + 60, users); n += 1) subs.push(fakeUser(n).sub);
      await dependencies.table.rowsBySub(subs);
    }
    const readUsed = process.cpuUsage(readCpu);
    return {
      users,
      counts: report.counts,
      repaired: report.repaired,
      cpuUsPerUser: round(cpuUs / users, 2),
      coldRunCpuUsPerUser: round((cold.user + cold.system) / users, 2),
      listUsersSdkCpuUsPerUser: round((sdkUsed.user + sdkUsed.system) / users, 2),
      tableReadCpuUsPerUser: round((readUsed.user + readUsed.system) / users, 2),
      wallMs: Math.round(wallMs),
      baselineRssMiB: round(baselineRss / 1024 / 1024),
      peakRssMiB,
    };
  } finally {
    clients.cognito.destroy();
    clients.eventBridge.destroy();
    child.kill();
  }
};

/** Part 2: a dry run over `users` users on moto, rate limit off. */
const motoRun = async (users: number) => {
  const moto = await startMotoServer();
  const clients = clientsFor(moto.endpoint);
  const table = new FakeTable();
  const hasura = await startFakeHasura((request) => ({
    json: usersTableResponder(table)(request.body.variables),
  }));
  try {
    const userPoolId = await createUserPool(clients.cognito, 'reconcile-bench');
    let started = performance.now();
    for (const user of await createCognitoUsers(clients.cognito, userPoolId, users)) {
      table.put(rowOf(user));
    }
    const createMs = performance.now() - started;
    const { dependencies, settings } = composeReconcile({
      env: { HASURA_GRAPHQL_ENDPOINT: hasura.url, HASURA_ADMIN_SECRET: 'bench' },
      ...clients,
      overrides: { userPoolId, rate: Number.POSITIVE_INFINITY, dryRun: true },
    });
    started = performance.now();
    const report = await reconcilePool(dependencies, settings, { prefixLength: 0 });
    const wallMs = performance.now() - started;
    return {
      users,
      inStep: report.counts.inStep,
      createUsersMs: Math.round(createMs),
      usersCreatedPerSecond: Math.round(users / (createMs / 1000)),
      reconcileWallMs: Math.round(wallMs),
      usersPerSecond: Math.round(users / (wallMs / 1000)),
      cognitoCalls: report.cognitoCalls,
    };
  } finally {
    clients.cognito.destroy();
    clients.eventBridge.destroy();
    await hasura.stop();
    await moto.stop();
  }
};

const users = argument('--users', 100_000);
const motoUsers = argument('--moto-users', 20_000);
const instant = await instantRun(users);
const perUser = bytesPerListedUser();
const million = 1_000_000;
// A million users run in 16 partitions (prefixLengthFor): one partition's subs at a time.
const partitionUsers = million / 16;
const result = {
  instant: {
    ...instant,
    targets: { cpuUsPerUser: 20, peakRssMiB: 200 },
    withinTargets: instant.cpuUsPerUser <= 20 && instant.peakRssMiB <= 200,
  },
  keptPerUser: {
    what: 'the sub of each user listed in the partition in flight (a Set), nothing else',
    bytes: perUser,
  },
  projection1M: {
    cpuSeconds: round((instant.cpuUsPerUser * million) / 1e6),
    partitions: 16,
    partitionUsersMax: USERS_PER_PARTITION,
    keptMiB: round((partitionUsers * perUser) / 1024 / 1024),
    listUsersCalls: Math.ceil(million / 60),
    wallMinutesAt5PerSecond: round(Math.ceil(million / 60) / 5 / 60),
    wallMinutesAt10PerSecond: round(Math.ceil(million / 60) / 10 / 60),
  },
  moto: motoUsers > 0 ? await motoRun(motoUsers) : undefined,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
