// The seed how-to's boto3 script, run unchanged but for its endpoint, prints exactly its expected output.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import { seedExpectedOutput, seedScript } from './support/seed-script.ts';
import { REPO_ROOT } from './shared-paths.ts';

const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0;

test('seed flow › the boto3 script against the mock prints the how-to\'s expected output, SigV4 verified', async (t) => {
  if (!hasBoto3) return t.fail('python3 with boto3 is needed for this test (pip install boto3)');
  const mock = await startMock({ cassettesDir: join(REPO_ROOT, 'cassettes') });
  try {
    const script = seedScript(mock.url, DEFAULT_CREDENTIALS);
    const result = await new Promise<{ stdout: string; stderr: string; status: number | null }>((resolve) => {
      
      const child = spawn('python3', ['-'], { env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d; });
      child.stderr.on('data', (d: Buffer) => { stderr += d; });
      child.on('close', (status: number | null) => resolve({ stdout, stderr, status }));
      child.stdin.end(script);
    });
    const expected = seedExpectedOutput();
    t.is(result.status, 0, result.stderr);
    t.is(result.stdout, expected.stdout);
    t.deepEqual(result.stderr.split('\n').filter((l) => l.startsWith('INFO:__main__')), expected.stderrInfo);
    const rounds = mock.log.records.filter((r) => r.cassetteId === 'seed-cohere-top-song-converse-stream');
    t.deepEqual(rounds.map((r) => [r.interaction, r.sigv4?.ok]), [[0, true], [1, true]]);
  } finally {
    await mock.close();
  }
});
