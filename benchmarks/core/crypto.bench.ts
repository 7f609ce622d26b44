/**
 * @msys/core crypto on both backends, each beside the library it wraps called directly: the `node` backend
 * beside `node:crypto`, the `noble` backend beside @noble/*. The ratio to the peer is the cost of the API
 * layer (argument checks, key caching, output copies).
 *
 * Ed25519 rows count signatures or verifications per second. Throughput rows count one operation on one
 * buffer of the named size per iteration, so MB/s = ops/s × size (1 KiB = 0.001 MiB, 1 MiB = 1 MiB).
 * BLAKE3 runs on @noble/hashes in both backends (OpenSSL has no BLAKE3), so its peer is @noble/hashes.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  randomFillSync,
} from 'node:crypto';
import { createCrypto } from '@msys/core/crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import type { Scenario, SuiteFactory } from '../harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Deterministic filler: the bench measures speed, not randomness. */
function filled(length: number, salt: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + salt) & 0xff;
  return out;
}

function sizeName(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB}MiB` : `${bytes / KiB}KiB`;
}

/**
 * node:crypto used the way a caller would use it directly: KeyObjects made once, a cipher per message, and
 * one contiguous `nonce ‖ ciphertext ‖ tag` output like `seal`'s.
 */
function nodeDirect(seed: Uint8Array) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  return {
    sign: (msg: Uint8Array) => nodeSign(null, msg, privateKey),
    verify: (sig: Uint8Array, msg: Uint8Array) => nodeVerify(null, msg, publicKey, sig),
    seal(key: Uint8Array, pt: Uint8Array) {
      const nonce = randomFillSync(new Uint8Array(12));
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = cipher.update(pt);
      cipher.final();
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    },
    open(key: Uint8Array, sealed: Uint8Array) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const body = decipher.update(sealed.subarray(12, sealed.length - 16));
      decipher.final();
      return body;
    },
  };
}

/** @noble/* used directly. */
const nobleDirect = {
  sign: (msg: Uint8Array, seed: Uint8Array) => ed25519.sign(msg, seed),
  verify: (sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) =>
    ed25519.verify(sig, msg, pk, { zip215: false }),
  seal(key: Uint8Array, pt: Uint8Array) {
    const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const out = new Uint8Array(12 + pt.length + 16);
    out.set(nonce);
    out.set(gcm(key, nonce).encrypt(pt), 12);
    return out;
  },
  open: (key: Uint8Array, sealed: Uint8Array) =>
    gcm(key, sealed.subarray(0, 12)).decrypt(sealed.subarray(12)),
};

const suite: SuiteFactory = ({ smoke }) => {
  const seed = filled(32, 7);
  const message = filled(64, 3);
  const aesKey = filled(32, 11);
  const scenarios: Scenario[] = [];
  const sizes = [KiB, MiB];

  for (const name of ['node', 'noble'] as const) {
    const c = createCrypto(name);
    const node = nodeDirect(seed);
    const publicKey = c.getPublicKey(seed);
    const signature = c.sign(message, seed);
    const peerName = name === 'node' ? 'node:crypto' : '@noble/curves';

    scenarios.push({
      name: `ed25519 sign 64B (${name})`,
      fn: () => c.sign(message, seed),
      peer: {
        name: `${peerName} sign`,
        fn: name === 'node' ? () => node.sign(message) : () => nobleDirect.sign(message, seed),
      },
      judged: false,
    });
    scenarios.push({
      name: `ed25519 verify 64B (${name})`,
      fn: () => c.verify(signature, message, publicKey),
      peer: {
        name: `${peerName} verify`,
        fn:
          name === 'node'
            ? () => node.verify(signature, message)
            : () => nobleDirect.verify(signature, message, publicKey),
      },
      judged: false,
    });

    for (const size of sizes) {
      const data = filled(size, 5);
      const sealed = c.seal(aesKey, data);
      // ~10–50 iterations/s at 1 MiB: a longer window keeps the sample count useful.
      const timeMs = size >= MiB && !smoke ? 2000 : undefined;
      scenarios.push({
        name: `blake3 ${sizeName(size)} (${name})`,
        fn: () => c.blake3(data),
        peer: { name: '@noble/hashes blake3', fn: () => nobleBlake3(data) },
        judged: false,
        ...(timeMs === undefined ? {} : { timeMs }),
      });
      scenarios.push({
        name: `aes-gcm seal ${sizeName(size)} (${name})`,
        fn: () => c.seal(aesKey, data),
        peer: {
          name: `${name === 'node' ? 'node:crypto' : '@noble/ciphers'} gcm encrypt`,
          fn: name === 'node' ? () => node.seal(aesKey, data) : () => nobleDirect.seal(aesKey, data),
        },
        judged: false,
        ...(timeMs === undefined ? {} : { timeMs }),
      });
      scenarios.push({
        name: `aes-gcm open ${sizeName(size)} (${name})`,
        fn: () => c.open(aesKey, sealed),
        peer: {
          name: `${name === 'node' ? 'node:crypto' : '@noble/ciphers'} gcm decrypt`,
          fn: name === 'node' ? () => node.open(aesKey, sealed) : () => nobleDirect.open(aesKey, sealed),
        },
        judged: false,
        ...(timeMs === undefined ? {} : { timeMs }),
      });
    }
  }
  return { package: 'core', scenarios };
};

export default suite;
