#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx bedrock-conformance` works without a build step.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const cli = fileURLToPath(new URL('../runner/cli.ts', import.meta.url));
const child = spawn(process.execPath, [tsxCli, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
// Pass stop signals on, so `mock` closes cleanly when its wrapper is told to stop.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
