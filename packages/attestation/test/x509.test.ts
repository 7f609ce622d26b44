import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type IssueCertificateOptions,
  issueCertificate,
  type ValidateChainInput,
  validateChain,
} from '../src/index.js';
import { crypto, toSigningKey, x509 } from '../src/x509/certificate.js';

const opensslAvailable = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!opensslAvailable && process.env.CI === 'true') throw new Error('openssl missing under CI');
if (!opensslAvailable) console.warn('skipping the openssl oracle: openssl is not installed');

const NOW = new Date('2026-06-01T00:00:00Z');
const YEAR = 365 * 86400_000;
const ec = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

interface Node {
  readonly keys: { publicKey: KeyObject; privateKey: KeyObject };
  readonly pem: string;
}

async function cert(
  subject: string,
  issuer: Node | undefined,
  o: Partial<IssueCertificateOptions> = {},
  keys = ec(),
): Promise<Node> {
  const c = await issueCertificate({
    subject,
    publicKey: keys.publicKey,
    ...(issuer === undefined
      ? { signingKey: keys.privateKey }
      : { issuer: { certificate: issuer.pem, privateKey: issuer.keys.privateKey } }),
    notBefore: new Date(NOW.getTime() - YEAR),
    notAfter: new Date(NOW.getTime() + YEAR),
    ...o,
  });
  return { keys, pem: c.pem };
}

const ca = (o: Partial<IssueCertificateOptions> = {}): Partial<IssueCertificateOptions> => ({
  ca: true,
  ...o,
});
const server = (dns: string, o: Partial<IssueCertificateOptions> = {}): Partial<IssueCertificateOptions> => ({
  extendedKeyUsage: ['serverAuth'],
  subjectAltNames: { dns: [dns] },
  ...o,
});

interface Scenario {
  readonly name: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly build: () => Promise<{
    leaf: Node;
    inter: Node[];
    roots: Node[];
    crls?: string[];
    extra?: Partial<ValidateChainInput>;
    args?: string[];
  }>;
}

const scenarios: Scenario[] = [
  {
    name: 'valid three-level chain with EKU and host name',
    ok: true,
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert('CN=Issuing CA', root, ca({ pathLength: 0 }));
      const leaf = await cert('CN=api.example.com', ica, server('api.example.com'));
      return {
        leaf,
        inter: [ica],
        roots: [root],
        extra: { requiredEkus: ['serverAuth'], expectedPeerName: { kind: 'DNS', value: 'api.example.com' } },
        args: ['-purpose', 'sslserver', '-verify_hostname', 'api.example.com'],
      };
    },
  },
  {
    name: 'expired leaf',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_EXPIRED',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const leaf = await cert('CN=old', root, {
        notBefore: new Date(NOW.getTime() - 2 * YEAR),
        notAfter: new Date(NOW.getTime() - 1000),
      });
      return { leaf, inter: [], roots: [root] };
    },
  },
  {
    name: 'leaf not yet valid',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_NOT_YET_VALID',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const leaf = await cert('CN=future', root, { notBefore: new Date(NOW.getTime() + 86400_000) });
      return { leaf, inter: [], roots: [root] };
    },
  },
  {
    name: 'leaf signed by an impostor with the issuing CA name',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_SIGNATURE',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert('CN=Issuing CA', root, ca());
      const fake = await cert('CN=Issuing CA', root, ca(), ica.keys);
      const impostor = { keys: ec(), pem: fake.pem };
      const leaf = await cert('CN=victim', impostor);
      return { leaf, inter: [ica], roots: [root] };
    },
  },
  {
    name: 'intermediate without basicConstraints cA',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_NOT_CA',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert('CN=Not a CA', root, { keyUsage: ['digitalSignature', 'keyCertSign'] });
      const leaf = await cert('CN=leaf', ica);
      return { leaf, inter: [ica], roots: [root] };
    },
  },
  {
    name: 'pathLenConstraint 0 on the root with two intermediates',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_PATH_LENGTH',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca({ pathLength: 0 }));
      const i1 = await cert('CN=ICA 1', root, ca());
      const i2 = await cert('CN=ICA 2', i1, ca());
      const leaf = await cert('CN=leaf', i2);
      return { leaf, inter: [i1, i2], roots: [root] };
    },
  },
  {
    name: 'intermediate keyUsage without keyCertSign',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_KEY_USAGE',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert('CN=ICA', root, ca({ keyUsage: ['digitalSignature', 'cRLSign'] }));
      const leaf = await cert('CN=leaf', ica);
      return { leaf, inter: [ica], roots: [root] };
    },
  },
  {
    name: 'leaf EKU clientAuth where serverAuth is required',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_EKU',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const leaf = await cert('CN=client', root, { extendedKeyUsage: ['clientAuth'] });
      return {
        leaf,
        inter: [],
        roots: [root],
        extra: { requiredEkus: ['serverAuth'] },
        args: ['-purpose', 'sslserver'],
      };
    },
  },
  {
    name: 'DNS name inside the permitted subtree',
    ok: true,
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert(
        'CN=ICA',
        root,
        ca({ nameConstraints: { permitted: { dns: ['example.com'] } } }),
      );
      const leaf = await cert('CN=api.example.com', ica, server('api.example.com'));
      return { leaf, inter: [ica], roots: [root] };
    },
  },
  {
    name: 'DNS name outside the permitted subtree',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_NAME_CONSTRAINTS',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert(
        'CN=ICA',
        root,
        ca({ nameConstraints: { permitted: { dns: ['example.com'] } } }),
      );
      const leaf = await cert('CN=evil.org', ica, server('evil.org'));
      return { leaf, inter: [ica], roots: [root] };
    },
  },
  {
    name: 'IP address in an excluded subtree',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_NAME_CONSTRAINTS',
    build: async () => {
      const root = await cert(
        'CN=Root',
        undefined,
        ca({ nameConstraints: { excluded: { ip: ['10.0.0.0/8'] } } }),
      );
      const leaf = await cert('CN=internal', root, { subjectAltNames: { ip: ['10.1.2.3'] } });
      return { leaf, inter: [], roots: [root] };
    },
  },
  {
    name: 'subject DN outside the permitted directory subtree',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_NAME_CONSTRAINTS',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert(
        'CN=ICA',
        root,
        ca({ nameConstraints: { permitted: { directoryName: ['O=Good'] } } }),
      );
      const leaf = await cert('O=Bad, CN=x', ica);
      return { leaf, inter: [ica], roots: [root] };
    },
  },
  {
    name: 'subject DN inside the permitted directory subtree, IP in the permitted range',
    ok: true,
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert(
        'CN=ICA',
        root,
        ca({ nameConstraints: { permitted: { directoryName: ['O=Good'], ip: ['192.168.0.0/16'] } } }),
      );
      const leaf = await cert('O=Good, CN=x', ica, { subjectAltNames: { ip: ['192.168.4.5'] } });
      return {
        leaf,
        inter: [ica],
        roots: [root],
        extra: { expectedPeerName: { kind: 'IP', value: '192.168.4.5' } },
        args: ['-verify_ip', '192.168.4.5'],
      };
    },
  },
  {
    name: 'unknown critical extension',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_CRITICAL_EXTENSION',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const leaf = await cert('CN=odd', root, {
        extensions: [{ oid: '1.3.6.1.4.1.55555.1', critical: true, value: new Uint8Array([5, 0]) }],
      });
      return { leaf, inter: [], roots: [root] };
    },
  },
  {
    name: 'two candidate issuers with the same name and key, the first one expired',
    ok: true,
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const keys = ec();
      const old = await cert(
        'CN=ICA',
        root,
        ca({ notBefore: new Date(NOW.getTime() - 3 * YEAR), notAfter: new Date(NOW.getTime() - YEAR) }),
        keys,
      );
      const current = await cert('CN=ICA', root, ca(), keys);
      const leaf = await cert('CN=leaf', current);
      return { leaf, inter: [old, current], roots: [root] };
    },
  },
  {
    name: 'host name not in the subjectAltName',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_PEER_NAME',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const leaf = await cert('CN=a.example.com', root, server('*.example.com'));
      return {
        leaf,
        inter: [],
        roots: [root],
        extra: { expectedPeerName: { kind: 'DNS', value: 'a.b.example.com' } },
        args: ['-verify_hostname', 'a.b.example.com'],
      };
    },
  },
  {
    name: 'wildcard host name match',
    ok: true,
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const leaf = await cert('CN=x', root, server('*.example.com'));
      return {
        leaf,
        inter: [],
        roots: [root],
        extra: { expectedPeerName: { kind: 'DNS', value: 'b.example.com' } },
        args: ['-verify_hostname', 'b.example.com'],
      };
    },
  },
  {
    name: 'missing intermediate',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_NO_PATH',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert('CN=ICA', root, ca());
      const leaf = await cert('CN=leaf', ica);
      return { leaf, inter: [], roots: [root] };
    },
  },
  {
    name: 'path longer than maxChainDepth',
    ok: false,
    code: 'MSYS_ATTESTATION_CHAIN_TOO_DEEP',
    build: async () => {
      const root = await cert('CN=Root', undefined, ca());
      const ica = await cert('CN=ICA', root, ca());
      const leaf = await cert('CN=leaf', ica);
      return { leaf, inter: [ica], roots: [root], extra: { maxChainDepth: 2 }, args: ['-verify_depth', '0'] };
    },
  },
  ...[true, false].map(
    (revoked): Scenario => ({
      name: revoked ? 'leaf revoked by its issuer CRL' : 'CRL that lists another serial',
      ok: !revoked,
      ...(revoked ? { code: 'MSYS_ATTESTATION_CHAIN_REVOKED' } : {}),
      build: async () => {
        const root = await cert('CN=Root', undefined, ca());
        const ica = await cert('CN=ICA', root, ca());
        const leaf = await cert('CN=leaf', ica);
        const serial = new x509.X509Certificate(leaf.pem).serialNumber;
        const { key, algorithm } = await toSigningKey(ica.keys.privateKey);
        const rootKey = await toSigningKey(root.keys.privateKey);
        const crl = await x509.X509CrlGenerator.create(
          {
            issuer: 'CN=ICA',
            thisUpdate: new Date(NOW.getTime() - 86400_000),
            nextUpdate: new Date(NOW.getTime() + 86400_000),
            entries: [
              {
                serialNumber: revoked ? serial : '0badbeef',
                revocationDate: new Date(NOW.getTime() - 3600_000),
              },
            ],
            signingAlgorithm: algorithm,
            signingKey: key as never,
          },
          crypto,
        );
        const rootCrl = await x509.X509CrlGenerator.create(
          {
            issuer: 'CN=Root',
            thisUpdate: new Date(NOW.getTime() - 86400_000),
            nextUpdate: new Date(NOW.getTime() + 86400_000),
            entries: [{ serialNumber: '0c0ffee0', revocationDate: new Date(NOW.getTime() - 3600_000) }],
            signingAlgorithm: rootKey.algorithm,
            signingKey: rootKey.key as never,
          },
          crypto,
        );
        // OpenSSL's PEM label is `X509 CRL` (RFC 7468 §6); both readers accept it.
        const crls = [crl.toString('pem'), rootCrl.toString('pem')].map((p) =>
          p.replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----'),
        );
        return { leaf, inter: [ica], roots: [root], crls, args: ['-crl_check_all'] };
      },
    }),
  ),
];

const dir = mkdtempSync(path.join(tmpdir(), 'msys-x509-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(s: Awaited<ReturnType<Scenario['build']>>, id: number): { ok: boolean; output: string } {
  const f = (n: string, body: string): string => {
    const p = path.join(dir, `${id}-${n}.pem`);
    writeFileSync(p, body);
    return p;
  };
  const args = [
    'verify',
    '-attime',
    String(Math.floor(NOW.getTime() / 1000)),
    '-CAfile',
    f('roots', s.roots.map((r) => r.pem).join('\n')),
  ];
  if (s.inter.length > 0) args.push('-untrusted', f('inter', s.inter.map((r) => r.pem).join('\n')));
  if (s.crls !== undefined) args.push('-CRLfile', f('crls', s.crls.join('\n')));
  args.push(...(s.args ?? []), f('leaf', s.leaf.pem));
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe('validateChain (RFC 5280) with openssl verify as the oracle', () => {
  scenarios.forEach((s, id) => {
    it(`${s.name}: ${s.ok ? 'valid' : s.code}`, async () => {
      const built = await s.build();
      const ours = await validateChain({
        leaf: built.leaf.pem,
        intermediates: built.inter.map((c) => c.pem),
        trustAnchors: built.roots.map((c) => c.pem),
        validationTime: NOW,
        ...(built.crls === undefined ? {} : { crls: built.crls }),
        ...built.extra,
      });
      expect(ours.ok, ours.ok ? '' : `${ours.code}: ${ours.reason}`).toBe(s.ok);
      if (!ours.ok) expect(ours.code).toBe(s.code);
      else expect(ours.path.length).toBeGreaterThanOrEqual(2);
      if (opensslAvailable) {
        const o = openssl(built, id);
        expect(o.ok, o.output).toBe(s.ok);
      }
    });
  });

  it('accepts DER input and reports unparseable input as MSYS_ATTESTATION_CHAIN_MALFORMED', async () => {
    const root = await cert('CN=Root', undefined, ca());
    const leaf = await cert('CN=leaf', root);
    const der = new Uint8Array(new x509.X509Certificate(leaf.pem).rawData);
    expect((await validateChain({ leaf: der, trustAnchors: [root.pem], validationTime: NOW })).ok).toBe(true);
    expect(await validateChain({ leaf: new Uint8Array([1, 2, 3]), trustAnchors: [root.pem] })).toMatchObject({
      ok: false,
      code: 'MSYS_ATTESTATION_CHAIN_MALFORMED',
    });
  });
});
