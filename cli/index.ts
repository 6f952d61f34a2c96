#!/usr/bin/env node
// The `cognito-hasura-sync` executable (package.json `bin`). Everything lives in program.ts;
// this entry only runs it, so tests import runCli without side effects.
import { runCli } from './program.js';

// The project pins Node.js 20 (package.json engines); the SDK's Node 22 notice would only
// add noise to every command's stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2));
