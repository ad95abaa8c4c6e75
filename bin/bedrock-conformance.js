#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx bedrock-conformance` works without a build step.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const cli = fileURLToPath(new URL('../runner/cli.ts', import.meta.url));
const result = spawnSync(process.execPath, [tsxCli, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
