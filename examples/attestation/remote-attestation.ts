/**
 * The RATS flow end to end against a software TPM (swtpm, started and stopped here):
 * the attester binds its AK to its EK (MakeCredential / ActivateCredential), the verifier issues a challenge,
 * the attester quotes its PCRs, the verifier appraises and signs an EAR result, the relying party checks it.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/attestation/remote-attestation.ts
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  AttestationAuthority,
  makeCredential,
  SwtpmTransport,
  startSwtpm,
  swtpmAvailable,
  Tpm,
  verifyResult,
} from '@msys/attestation';

if (!swtpmAvailable()) {
  console.log('swtpm is not installed (apt-get install swtpm swtpm-tools); skipping this example');
  process.exit(0);
}

const swtpm = await startSwtpm();
const tpm = new Tpm(await SwtpmTransport.connect({ port: swtpm.port }));
try {
  // Attester: boot measurements land in PCR 16 here (firmware would use PCRs 0-7).
  const bootloader = createHash('sha256').update('bootloader 2.1').digest();
  await tpm.pcrExtend(16, { sha256: new Uint8Array(bootloader) });
  const ek = await tpm.createEk('rsa');
  const ak = await tpm.createAk(ek.handle, 'rsa');

  // Verifier: prove the AK lives in the same TPM as the EK before trusting it (TPM 2.0 Part 1 §24).
  const secret = new Uint8Array(randomBytes(32));
  const credential = makeCredential(ek.public, ak.name, secret);
  const recovered = await tpm.activateCredentialWithEk(
    ak.handle,
    ek.handle,
    credential.credentialBlob,
    credential.secret,
  );
  console.log('EK→AK binding:', Buffer.from(recovered).equals(Buffer.from(secret)) ? 'proven' : 'FAILED');

  const expected16 = createHash('sha256').update(Buffer.alloc(32)).update(bootloader).digest();
  const authority = new AttestationAuthority({
    signingKey: new Uint8Array(randomBytes(32)),
    policies: { 'edge-nodes': { referencePcrs: { sha256: { 16: new Uint8Array(expected16) } } } },
  });

  const { nonce } = authority.challenge();
  const selection = [{ hash: 'sha256' as const, pcrs: [0, 16] }];
  const quote = await tpm.quote(ak.handle, nonce, selection);
  const pcrs = await tpm.pcrRead(selection);
  const result = await authority.appraise(
    { kind: 'tpm', nonce, akPublic: ak.public.raw, quote: quote.attest, signature: quote.signature, pcrs },
    'edge-nodes',
  );
  console.log('appraisal:', result.status, result.claims.configuration.reasons);

  // Relying party: only the verifier's public key is needed.
  const verified = await verifyResult(result.token, authority.publicKey);
  console.log('relying party sees:', verified.status, 'for policy', verified.policy);
  for (const h of [ak.handle, ek.handle]) await tpm.flushContext(h);
} finally {
  await tpm.close();
  await swtpm.stop();
}
