// The seed how-to's boto3 script and its expected output, read from the seed file itself.
import { readFileSync } from 'node:fs';
import { SEED_FILE } from '../shared-paths.ts';

/** The Python script exactly as the how-to writes it, with only its endpoint and keys swapped. */
export function seedScript(endpoint: string, keys?: { accessKeyId: string; secretAccessKey: string }): string {
  const text = readFileSync(SEED_FILE, 'utf8');
  const script = /cat > bedrock-stream-tool-use-demo\.py << 'EOF'\n([\s\S]*?)\nEOF\n/.exec(text)?.[1];
  if (!script) throw new Error(`no boto3 script found in ${SEED_FILE}`);
  let out = script.replace('GATEWAY_URL = "http://localhost:8000"', `GATEWAY_URL = "${endpoint}"`);
  if (keys) {
    out = out
      .replace('aws_access_key_id="dummy"', `aws_access_key_id="${keys.accessKeyId}"`)
      .replace('aws_secret_access_key="dummy"', `aws_secret_access_key="${keys.secretAccessKey}"`);
  }
  return out;
}

/** The how-to's expected output, split the way Python writes it: INFO log lines to stderr, prints to stdout. */
export function seedExpectedOutput(): { stdout: string; stderrInfo: string[] } {
  const text = readFileSync(SEED_FILE, 'utf8');
  const block = /Expected output:\n\n```text\n([\s\S]*?)\n```/.exec(text)?.[1];
  if (!block) throw new Error(`no expected output found in ${SEED_FILE}`);
  const lines = block.split('\n');
  return {
    stdout: `${lines.filter((l) => !l.startsWith('INFO:')).join('\n')}\n`,
    stderrInfo: lines.filter((l) => l.startsWith('INFO:')),
  };
}
