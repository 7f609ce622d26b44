import { createServer } from 'node:net';
import { isSystemError } from '@msys/core/errors';
import { describe, expect, it } from 'vitest';
import {
  DeviceTransport,
  decodeResponseCode,
  ekTemplate,
  makeCredential,
  parseTpmtPublic,
  SwtpmTransport,
  Tpm,
  type TpmTransport,
} from '../src/index.js';
import { softAk } from './support/soft-quote.js';

async function codeOfAsync(p: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await p();
  } catch (e) {
    return isSystemError(e) ? e.code : `raw:${String(e)}`;
  }
  return undefined;
}

/** A transport seam that answers every command with a fixed response. */
function fixed(response: Uint8Array): TpmTransport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    sent,
    send: async (c) => {
      sent.push(c);
      return response;
    },
    close: async () => undefined,
  };
}

describe('TPM response codes and transports', () => {
  it('decodes format-zero and format-one response codes with their location', () => {
    expect(decodeResponseCode(0x99d)).toEqual({
      rc: 0x99d,
      name: 'TPM_RC_POLICY_FAIL',
      location: 'session 1',
    });
    expect(decodeResponseCode(0x1c4)).toMatchObject({ name: 'TPM_RC_VALUE', location: 'parameter 1' });
    expect(decodeResponseCode(0x18b)).toMatchObject({ name: 'TPM_RC_HANDLE', location: 'handle 1' });
    expect(decodeResponseCode(0x100).name).toBe('TPM_RC_INITIALIZE');
    expect(decodeResponseCode(0x922).name).toBe('TPM_RC_RETRY');
  });

  it('marshals a command header and raises MSYS_ATTESTATION_TPM_RC with the name of the code', async () => {
    const t = fixed(new Uint8Array([0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x09, 0x9d]));
    const tpm = new Tpm(t);
    try {
      await tpm.flushContext(0x80000001);
      expect.unreachable();
    } catch (e) {
      expect(isSystemError(e) && e.code).toBe('MSYS_ATTESTATION_TPM_RC');
      expect(isSystemError(e) && e.details.rcName).toBe('TPM_RC_POLICY_FAIL');
    }
    // TPM2_FlushContext: tag NO_SESSIONS, size 14, command code 0x165, the handle as parameter
    expect(Buffer.from(t.sent[0] ?? []).toString('hex')).toBe('80010000000e0000016580000001');
  });

  it('reports a response whose header size lies as malformed', async () => {
    const tpm = new Tpm(fixed(new Uint8Array([0x80, 0x01, 0, 0, 0, 99, 0, 0, 0, 0])));
    expect(await codeOfAsync(() => tpm.getRandom(4))).toBe('MSYS_ATTESTATION_MALFORMED');
  });

  it('fails to connect with MSYS_ATTESTATION_TRANSPORT and validates the port', async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    await new Promise((r) => server.close(r));
    expect(await codeOfAsync(() => SwtpmTransport.connect({ port }))).toBe('MSYS_ATTESTATION_TRANSPORT');
    expect(await codeOfAsync(async () => SwtpmTransport.connect({ port: 70000 }))).toBe(
      'MSYS_ATTESTATION_INVALID_ARGUMENT',
    );
  });

  it('times out and closes when a server never answers', async () => {
    const server = createServer((s) => s.on('data', () => undefined));
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const t = await SwtpmTransport.connect({ port, timeoutMs: 200 });
    expect(await codeOfAsync(() => t.send(new Uint8Array(10)))).toBe('MSYS_ATTESTATION_TRANSPORT');
    await t.close();
    expect(await codeOfAsync(() => t.send(new Uint8Array(10)))).toBe('MSYS_ATTESTATION_TRANSPORT');
    await new Promise((r) => server.close(r));
  });

  it('sees no TPM device at a missing path and fails to open it with a typed error', async () => {
    expect(await DeviceTransport.available('/nonexistent/tpmrm0')).toBe(false);
    expect(await codeOfAsync(() => DeviceTransport.open('/nonexistent/tpmrm0'))).toBe(
      'MSYS_ATTESTATION_TRANSPORT',
    );
  });
});

describe('makeCredential input checks', () => {
  it('refuses a credential longer than the EK name hash and an EK that is not a storage key', () => {
    const ek = parseTpmtPublic(ekTemplate('ecc'));
    const name = new Uint8Array(34);
    expect(() => makeCredential(ek, name, new Uint8Array(33))).toThrow(
      expect.objectContaining({ code: 'MSYS_ATTESTATION_INVALID_ARGUMENT' }),
    );
    const signingKey = softAk('ecdsa-p256').publicArea;
    expect(() => makeCredential(signingKey, name, new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'MSYS_ATTESTATION_INVALID_ARGUMENT' }),
    );
  });
});
