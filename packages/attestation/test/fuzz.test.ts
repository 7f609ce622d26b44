import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isSystemError } from '@msys/core/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createImaEntry,
  encodeImaBinaryLog,
  loadCertificate,
  parseEventLog,
  parseImaLog,
  parseTpmsAttest,
  parseTpmtPublic,
  parseTpmtSignature,
  Tpm,
  type TpmTransport,
  validateChain,
  verifyQuote,
  verifyResult,
} from '../src/index.js';
import { softAk, softQuote } from './support/soft-quote.js';
import { vectorsAvailable, vectorsDir } from './support/vectors.js';

/** Runs `fn`; a throw must be a SystemError of this package, never a raw TypeError/RangeError. */
function typedOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(isSystemError(e) && e.code.startsWith('MSYS_ATTESTATION_'))) throw e;
  }
}

async function typedOnlyAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(isSystemError(e) && e.code.startsWith('MSYS_ATTESTATION_'))) throw e;
  }
}

/** Byte-level mutations of a valid input: flips, overwrites, truncation, insertion, duplication. */
function mutated(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = base.length;
  return fc
    .oneof(
      fc.tuple(fc.nat(n - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const b = new Uint8Array(base);
        b[i] = (b[i] ?? 0) ^ x;
        return b;
      }),
      fc.nat(n - 1).map((k) => base.slice(0, k)),
      fc
        .tuple(fc.nat(n), fc.uint8Array({ minLength: 1, maxLength: 16 }))
        .map(([i, ins]) => new Uint8Array([...base.slice(0, i), ...ins, ...base.slice(i)])),
      fc.tuple(fc.nat(n - 4), fc.constantFrom(0x00, 0xff, 0x7f, 0x80)).map(([i, v]) => {
        const b = new Uint8Array(base);
        b.fill(v, i, i + 4);
        return b;
      }),
    )
    .filter((b) => !Buffer.from(b).equals(Buffer.from(base)));
}

const runs = { numRuns: 300 };
const nonce = new Uint8Array(32).fill(5);
const pcrs = { sha256: { 0: new Uint8Array(32).fill(1), 7: new Uint8Array(32).fill(7) } };

describe('fuzzing the TPM structure parsers', () => {
  for (const kind of ['rsassa', 'ecdsa-p256'] as const) {
    const ak = softAk(kind);
    const { quote, signature } = softQuote(ak, { nonce, pcrs });

    it(`${kind}: random bytes give typed failures only`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
          typedOnly(() => parseTpmsAttest(b));
          typedOnly(() => parseTpmtPublic(b));
          typedOnly(() => parseTpmtSignature(b));
          const r = verifyQuote({ akPublic: b, quote: b, signature: b, pcrs, nonce });
          expect(r.ok).toBe(false);
        }),
        runs,
      );
    });

    it(`${kind}: mutated quotes and signatures are never accepted and never crash`, () => {
      fc.assert(
        fc.property(mutated(quote), mutated(signature), (q, s) => {
          typedOnly(() => parseTpmsAttest(q));
          typedOnly(() => parseTpmtSignature(s));
          expect(verifyQuote({ akPublic: ak.publicArea, quote: q, signature, pcrs, nonce }).ok).toBe(false);
          expect(verifyQuote({ akPublic: ak.publicArea, quote, signature: s, pcrs, nonce }).ok).toBe(false);
        }),
        runs,
      );
    });

    it(`${kind}: mutated public areas parse or fail with a typed error; verifyQuote never throws`, () => {
      fc.assert(
        fc.property(mutated(ak.publicArea), (p) => {
          typedOnly(() => parseTpmtPublic(p));
          const r = verifyQuote({ akPublic: p, quote, signature, pcrs, nonce });
          expect(typeof r.ok).toBe('boolean');
        }),
        runs,
      );
    });
  }
});

const haveLogs = vectorsAvailable('tpm2-tools-eventlogs');

describe('fuzzing the event log parsers', () => {
  it('random bytes give typed failures only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => {
        typedOnly(() => parseEventLog(b));
        typedOnly(() => parseImaLog(b));
      }),
      runs,
    );
  });

  it.skipIf(!haveLogs)('mutated real firmware logs parse (with warnings) or fail typed', () => {
    const bin = new Uint8Array(
      readFileSync(
        path.join(vectorsDir, 'tpm2-tools-eventlogs/test/integration/fixtures/event-sd-boot-fedora37.bin'),
      ),
    );
    fc.assert(
      fc.property(mutated(bin), (b) => {
        typedOnly(() => parseEventLog(b));
      }),
      runs,
    );
  });

  it('mutated IMA lists (binary and ASCII) parse or fail typed', () => {
    const entries = ['/a', '/usr/bin/b', '/c d'].map((p, i) => createImaEntry(p, new Uint8Array(32).fill(i)));
    const bin = encodeImaBinaryLog(entries);
    fc.assert(
      fc.property(mutated(bin), fc.string({ maxLength: 300 }), (b, s) => {
        typedOnly(() => parseImaLog(b));
        typedOnly(() => parseImaLog(s));
        typedOnly(() => parseImaLog(`10 ${'a'.repeat(40)} ima-ng ${s}`));
      }),
      runs,
    );
  });
});

describe('fuzzing the TPM response path, certificates and tokens', () => {
  it('random TPM responses become typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (resp) => {
        const transport: TpmTransport = { send: async () => resp, close: async () => undefined };
        const tpm = new Tpm(transport);
        await typedOnlyAsync(() => tpm.readPublic(0x81000001));
        await typedOnlyAsync(() => tpm.pcrRead([{ hash: 'sha256', pcrs: [0] }]));
        await typedOnlyAsync(() => tpm.quote(0x80000000, nonce, [{ hash: 'sha256', pcrs: [0] }]));
      }),
      { numRuns: 200 },
    );
  });

  it('random certificate bytes and strings fail typed; validateChain never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }), async (b, s) => {
        typedOnly(() => loadCertificate(b));
        typedOnly(() => loadCertificate(s));
        const r = await validateChain({ leaf: b, trustAnchors: [s] });
        expect(r.ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('random tokens are rejected with MSYS_ATTESTATION_TOKEN_INVALID', async () => {
    const key = new Uint8Array(32).fill(9);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (t) => {
        await expect(verifyResult(t, key)).rejects.toMatchObject({ code: 'MSYS_ATTESTATION_TOKEN_INVALID' });
      }),
      { numRuns: 150 },
    );
  });
});
