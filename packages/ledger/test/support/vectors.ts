import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The known-answer vector folder, from `MSYS_VECTORS` or `../shared/vectors` beside the repository. */
export const vectorsDir = process.env.MSYS_VECTORS ?? path.resolve(repoRoot, '../shared/vectors');

/** Whether a vector sub-folder is present; under CI a missing folder is an error, not a skip. */
export function vectorsAvailable(sub: string): boolean {
  const ok = existsSync(path.join(vectorsDir, sub));
  if (!ok && process.env.CI === 'true')
    throw new Error(`test vectors missing at ${path.join(vectorsDir, sub)}`);
  if (!ok)
    console.warn(`skipping ${sub} vectors: ${path.join(vectorsDir, sub)} not found (set MSYS_VECTORS)`);
  return ok;
}
