/**
 * SystemError: every @msys failure has a stable code and a category; it survives a trip through JSON.
 * Run: pnpm tsx examples/core/errors.ts
 */
import { defineErrors, isSystemError, SystemError } from '@msys/core';

// A package declares its codes once, with typed details.
const errors = defineErrors({
  MSYS_DEMO_QUOTA_EXCEEDED: {
    category: 'resource',
    message: (d: { tenant: string; limit: number }) =>
      `tenant ${d.tenant} exceeded its quota of ${d.limit} requests`,
  },
});

function handle(tenant: string): void {
  throw errors.MSYS_DEMO_QUOTA_EXCEEDED({ tenant, limit: 100 }, { cause: new Error('counter at 101') });
}

try {
  handle('acme');
} catch (e) {
  // Callers branch on the code, never on the message.
  if (errors.MSYS_DEMO_QUOTA_EXCEEDED.is(e)) {
    console.log(`caught ${e.code} (${e.category}): ${e.message}; details = ${JSON.stringify(e.details)}`);
    // Errors cross process boundaries as JSON and come back whole, cause chain and stack included.
    const wire = JSON.stringify(e);
    const back = SystemError.fromJSON(wire);
    console.log(
      `after a JSON round trip: isSystemError=${isSystemError(back)}, code=${back.code}, cause="${(back.cause as Error).message}"`,
    );
    if (back.code !== e.code || back.stack !== e.stack) process.exitCode = 1;
  } else {
    throw e;
  }
}
