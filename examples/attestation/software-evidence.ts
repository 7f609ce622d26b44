/**
 * A host without a TPM: it signs its measurements with Ed25519, the verifier appraises them with the same
 * policy machinery as TPM quotes, and the relying party checks the signed result.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/attestation/software-evidence.ts
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { AttestationAuthority, createSoftwareEvidence, verifyResult } from '@msys/attestation';

const host = generateKeyPairSync('ed25519');
const hostKeyHex = Buffer.from(host.publicKey.export({ format: 'der', type: 'spki' }).subarray(12)).toString(
  'hex',
);
const image = createHash('sha256').update('container image v7').digest('hex');
const revoked = createHash('sha256').update('container image v3').digest('hex');

const authority = new AttestationAuthority({
  signingKey: new Uint8Array(randomBytes(32)),
  policies: {
    containers: {
      allowedSoftwareKeys: [hostKeyHex],
      allowedEventDigests: [image],
      forbiddenEventDigests: [revoked],
      minFirmwareVersion: 7n,
    },
  },
});

for (const running of [image, revoked]) {
  const { nonce } = authority.challenge();
  const evidence = createSoftwareEvidence(
    {
      nonce: Buffer.from(nonce).toString('base64url'),
      ueid: 'AQIDBA',
      firmwareVersion: '7',
      events: [running],
    },
    host.privateKey,
  );
  const result = await authority.appraise(evidence, 'containers');
  const seen = await verifyResult(result.token, authority.publicKey);
  console.log(`running ${running.slice(0, 12)}…: ${seen.status}`, seen.claims.executables?.reasons ?? []);
}
