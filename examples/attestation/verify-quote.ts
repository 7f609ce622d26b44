/**
 * A TPM quote made by swtpm, verified with verifyQuote; then the same quote checked against wrong PCR values
 * and a wrong nonce to show the typed failures.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/attestation/verify-quote.ts
 */
import { randomBytes } from 'node:crypto';
import { SwtpmTransport, startSwtpm, swtpmAvailable, Tpm, verifyQuote } from '@msys/attestation';

if (!swtpmAvailable()) {
  console.log('swtpm is not installed (apt-get install swtpm swtpm-tools); skipping this example');
  process.exit(0);
}

const swtpm = await startSwtpm();
const tpm = new Tpm(await SwtpmTransport.connect({ port: swtpm.port }));
try {
  const ek = await tpm.createEk('ecc');
  const ak = await tpm.createAk(ek.handle, 'ecc');
  const nonce = new Uint8Array(randomBytes(32));
  const selection = [{ hash: 'sha256' as const, pcrs: [0, 1, 2, 3, 7] }];
  const { attest, signature } = await tpm.quote(ak.handle, nonce, selection);
  const pcrs = await tpm.pcrRead(selection);

  const ok = verifyQuote({ akPublic: ak.public, quote: attest, signature, pcrs, nonce });
  console.log('genuine quote:', ok.ok ? 'accepted' : `${ok.code} ${ok.reason}`);

  const wrongPcrs = { sha256: { ...pcrs.sha256, 7: new Uint8Array(32).fill(1) } };
  const bad = verifyQuote({ akPublic: ak.public, quote: attest, signature, pcrs: wrongPcrs, nonce });
  console.log('with a wrong PCR 7:', bad.ok ? 'accepted?!' : bad.code);

  const replay = verifyQuote({
    akPublic: ak.public,
    quote: attest,
    signature,
    pcrs,
    nonce: new Uint8Array(32),
  });
  console.log('against another nonce:', replay.ok ? 'accepted?!' : replay.code);
  for (const h of [ak.handle, ek.handle]) await tpm.flushContext(h);
} finally {
  await tpm.close();
  await swtpm.stop();
}
