/**
 * `npm run console:screenshot`: the picture of the operator console in docs/console.png, taken
 * with live data. It boots the local stack, serves the console as `npm start` does, drives
 * sign-ins through the real trigger while a few records that the database refuses (a rule added
 * for the picture) reach the DLQ, and photographs the page in headless Chromium (Debian's, through
 * playwright-core) while the sign-ins still flow.
 */

import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { chromium } from 'playwright-core';
import { simulateLogins } from '../cli/simulateLogins.js';
import { toEnvelope } from '../shared/events/userAuthenticated.js';
import { pipeline } from '../shared/pipeline.js';
import { registerSimulatedUsers } from './lifecycleDemo.js';
import { serveLocalConsole } from './localConsole.js';
import { startLocalStack } from './stack.js';

const output = process.argv[2] ?? 'docs/console.png';
const stack = await startLocalStack({
  logLevel: 'SILENT',
  visibilityTimeoutSeconds: 1,
  reasonLog: '.local-state/dead-letter-reasons.jsonl',
});
const local = await serveLocalConsole(stack);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  await stack.hasura.engine?.sql(
    "ALTER TABLE users ADD CONSTRAINT picture_quarantine CHECK (email IS NULL OR email NOT LIKE 'quarantined-%')",
  );
  const population = await registerSimulatedUsers(stack.admin, 100, { concurrency: 4 });
  const poison = Array.from({ length: 4 }, (_, index) =>
    JSON.stringify(
      toEnvelope(
        {
          schemaVersion: 1,
          eventId: `picture-${index}`,
          userPoolId: stack.userPoolId,
          sub: `00000000-0000-4000-a000-00000000000${index}`,
          username: `quarantined-${index}`,
          clientId: null,
          triggerSource: 'PostAuthentication_Authentication',
          authenticatedAt: new Date(Date.now() - 1000).toISOString(),
          attributes: { email: `quarantined-${index}@example.com` },
        },
        { source: pipeline.eventSource, region: stack.region },
      ),
    ),
  );
  await stack.aws.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: stack.provisioned.syncQueue.queueUrl,
      Entries: poison.map((body, index) => ({ Id: String(index), MessageBody: body })),
    }),
  );
  const logins = simulateLogins({
    handler: stack.postAuthentication,
    logins: 3000,
    users: 100,
    population,
    userPoolId: stack.userPoolId,
    region: stack.region,
    concurrency: 4,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(local.console.url);
  // Charts need a few samples (every 5 s) and the poison records five receives.
  await new Promise((resolve) => setTimeout(resolve, 40_000));
  await page.screenshot({ path: output, fullPage: true });
  process.stdout.write(`wrote ${output}\n`);
  await logins;
} finally {
  await browser.close();
  await local.stop();
  await stack.stop();
}
