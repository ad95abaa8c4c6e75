// Where the shared capture files are: beside the repository (`../shared`), as CI lays them out.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The shared folder beside the repository (captures, seeds). */
export const SHARED_DIR = process.env.BEDROCK_CONFORMANCE_SHARED ?? resolve(REPO_ROOT, '..', 'shared');

/** Real AWS capture files. */
export const CAPTURES_DIR = join(SHARED_DIR, 'captures');

/** The seed how-to with the canonical boto3 script and its expected output. */
export const SEED_FILE = join(SHARED_DIR, 'seeds', '000_a8ead60312a2fbf7.txt');

/** Throws a clear error when the shared folder is missing, instead of a confusing ENOENT later. */
export function requireShared(): void {
  if (!existsSync(CAPTURES_DIR)) {
    throw new Error(`capture files not found at ${CAPTURES_DIR}: check out the shared folder beside the repository or set BEDROCK_CONFORMANCE_SHARED`);
  }
}
