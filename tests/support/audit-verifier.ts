import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './global-setup';

/** Runs the standalone verifier as an auditor would (compiled by the test setup, as npm run audit:verify does). */
export function runVerifier(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(ROOT, 'dist', 'scripts', 'audit-verify.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}
