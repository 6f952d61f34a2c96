import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startCliTestBed, createUserPool, createBusToQueue, readAll, runCliInProcess } from './test/integration/cli/cliHarness.js';
const bed = await startCliTestBed();
try {
  let t = Date.now();
  const pool = await createUserPool(bed.cognito, 'p');
  for (let i = 0; i < 1000; i += 25) await Promise.all(Array.from({ length: 25 }, (_, k) => bed.cognito.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: `u${i + k}`, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `u${i+k}@example.com` }] }))));
  console.log('create 1000', Date.now() - t); t = Date.now();
  const { busName, queueUrl } = await createBusToQueue(bed.eventBridge, bed.sqs, 'bf1');
  const run = await runCliInProcess(['backfill', '--user-pool-id', pool, '--bus', busName, '--checkpoint', '/tmp/h7cp.json', '--rate', '50', '--json'], bed.env);
  console.log('backfill', run.code, run.stdout, run.stderr, Date.now() - t); t = Date.now();
  const all = await readAll(bed.sqs, queueUrl);
  console.log('readAll', all.length, Date.now() - t); t = Date.now();
} finally { await bed.stop(); }
