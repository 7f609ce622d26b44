/**
 * Issues a root CA, an intermediate constrained to one domain, a server certificate and an AK certificate, then
 * validates chains with validateChain (RFC 5280): one valid, one outside the name constraints.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/attestation/certificate-chain.ts
 */
import { generateKeyPairSync } from 'node:crypto';
import { issueCertificate, validateChain } from '@msys/attestation';

const keys = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rootKeys = keys();
const icaKeys = keys();

const root = await issueCertificate({
  subject: 'CN=Example Root, O=Example',
  publicKey: rootKeys.publicKey,
  signingKey: rootKeys.privateKey,
  ca: true,
});
const ica = await issueCertificate({
  subject: 'CN=Example Issuing CA, O=Example',
  publicKey: icaKeys.publicKey,
  issuer: { certificate: root.pem, privateKey: rootKeys.privateKey },
  ca: true,
  pathLength: 0,
  nameConstraints: { permitted: { dns: ['example.com'] } },
});
const issue = (host: string) =>
  issueCertificate({
    subject: `CN=${host}`,
    publicKey: keys().publicKey,
    issuer: { certificate: ica.pem, privateKey: icaKeys.privateKey },
    extendedKeyUsage: ['serverAuth'],
    subjectAltNames: { dns: [host] },
  });

for (const host of ['api.example.com', 'api.example.net']) {
  const leaf = await issue(host);
  const r = await validateChain({
    leaf: leaf.pem,
    intermediates: [ica.pem],
    trustAnchors: [root.pem],
    requiredEkus: ['serverAuth'],
    expectedPeerName: { kind: 'DNS', value: host },
  });
  console.log(host, r.ok ? `valid, path of ${r.path.length}` : `${r.code}: ${r.reason}`);
}
