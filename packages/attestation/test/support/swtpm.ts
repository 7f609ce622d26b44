import { execFileSync, spawnSync } from 'node:child_process';
import { swtpmAvailable } from '../../src/index.js';

/** Whether swtpm and tpm2-tools are installed; under CI their absence is an error. */
export function tpmToolsAvailable(): boolean {
  const ok =
    swtpmAvailable() && spawnSync('tpm2_checkquote', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!ok && process.env.CI === 'true') throw new Error('swtpm / tpm2-tools missing under CI');
  if (!ok)
    console.warn(
      'skipping: swtpm or tpm2-tools is not installed (apt-get install swtpm swtpm-tools tpm2-tools)',
    );
  return ok;
}

/** Runs a tpm2-tools command against the swtpm on `port`; returns exit status and output. */
export function tpm2(
  port: number,
  tool: string,
  args: string[],
  cwd: string,
): { status: number; output: string } {
  const r = spawnSync(tool, args, {
    cwd,
    env: { ...process.env, TPM2TOOLS_TCTI: `swtpm:host=127.0.0.1,port=${port}` },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Runs a tpm2-tools command and throws with its output when it fails. */
export function tpm2ok(port: number, tool: string, args: string[], cwd: string): string {
  const r = tpm2(port, tool, args, cwd);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.output}`);
  // tpm2-tools leave transient objects loaded on a TPM without a resource manager.
  execFileSync('tpm2_flushcontext', ['-t'], {
    cwd,
    env: { ...process.env, TPM2TOOLS_TCTI: `swtpm:host=127.0.0.1,port=${port}` },
  });
  return r.output;
}
