import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The shared vectors folder, per the workspace convention. */
export const vectorsDir = process.env.MSYS_VECTORS ?? path.resolve(repoRoot, '../shared/vectors');

/** Whether a vectors subfolder exists; under CI its absence is an error. */
export function vectorsAvailable(sub: string): boolean {
  const ok = existsSync(path.join(vectorsDir, sub));
  if (!ok && process.env.CI === 'true')
    throw new Error(`test vectors missing under CI: ${path.join(vectorsDir, sub)}`);
  if (!ok) console.warn(`skipping: test vectors not found at ${path.join(vectorsDir, sub)}`);
  return ok;
}
