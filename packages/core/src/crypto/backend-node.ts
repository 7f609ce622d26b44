/**
 * The `node:crypto` engine: OpenSSL for Ed25519, AES-256-GCM, SHA-256 and randomness.
 *
 * OpenSSL 3 takes Ed25519 keys as KeyObjects, not raw bytes. A seed becomes a KeyObject through its PKCS#8
 * encoding (RFC 8410 §7: a fixed 16-byte DER prefix, then the 32-byte seed). Importing through OpenSSL 3's
 * DER decoder costs ~0.5 ms — more than signing — so KeyObjects are cached: seeds by array identity (a
 * WeakMap, re-checked against a private copy of the bytes so a mutated array is re-imported), public keys
 * by value in a bounded map. Public keys are imported as JWK (RFC 8037 §2, only `x` is read), which skips
 * the DER decoder and measured twice as fast here as the SPKI form.
 *
 * @module
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  timingSafeEqual as nodeTimingSafeEqual,
  verify as nodeVerify,
  randomFillSync,
} from 'node:crypto';
import type { CryptoEngine } from './engine.js';
import type { KeyPair } from './types.js';

/** RFC 8410 §7 OneAsymmetricKey for Ed25519, up to the OCTET STRING holding the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex'));
const GCM_TAG_LENGTH = 16;
const PUBLIC_KEY_CACHE_SIZE = 1024;

interface SeedEntry {
  readonly seed: Uint8Array;
  readonly privateKey: KeyObject;
  publicKey: Uint8Array | undefined;
}

const seedCache = new WeakMap<Uint8Array, SeedEntry>();
const publicKeyCache = new Map<string, KeyObject>();

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A Uint8Array that owns its memory: Node may hand out views into a shared pool. */
function owned(buf: Buffer): Uint8Array {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  return new Uint8Array(buf);
}

function seedEntry(seed: Uint8Array): SeedEntry {
  const hit = seedCache.get(seed);
  if (hit !== undefined && nodeTimingSafeEqual(hit.seed, seed)) return hit;
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  const privateKey = createPrivateKey({ key: asBuffer(der), format: 'der', type: 'pkcs8' });
  der.fill(0);
  const entry: SeedEntry = { seed: seed.slice(), privateKey, publicKey: undefined };
  seedCache.set(seed, entry);
  return entry;
}

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  // SPKI for Ed25519 is a 12-byte prefix followed by the 32-byte key (RFC 8410 §4).
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | undefined {
  const id = asBuffer(publicKey).toString('hex');
  const hit = publicKeyCache.get(id);
  if (hit !== undefined) return hit;
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: asBuffer(publicKey).toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
  if (publicKeyCache.size >= PUBLIC_KEY_CACHE_SIZE) {
    const oldest = publicKeyCache.keys().next().value;
    if (oldest !== undefined) publicKeyCache.delete(oldest);
  }
  publicKeyCache.set(id, key);
  return key;
}

/**
 * The `node:crypto` engine.
 *
 * @internal
 */
export const nodeEngine: CryptoEngine = {
  name: 'node',

  ed25519Generate(): KeyPair {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const secretKey = new Uint8Array(pkcs8.subarray(pkcs8.length - 32));
    pkcs8.fill(0);
    const publicKey = rawPublicKey(privateKey);
    seedCache.set(secretKey, { seed: secretKey.slice(), privateKey, publicKey });
    return { publicKey: publicKey.slice(), secretKey };
  },

  ed25519PublicKey(seed: Uint8Array): Uint8Array {
    const entry = seedEntry(seed);
    entry.publicKey ??= rawPublicKey(entry.privateKey);
    return entry.publicKey.slice();
  },

  ed25519Sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
    return owned(nodeSign(null, message, seedEntry(seed).privateKey));
  },

  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = publicKeyObject(publicKey);
    if (key === undefined) return false;
    try {
      return nodeVerify(null, message, key, signature);
    } catch {
      return false;
    }
  },

  sha256(data: Uint8Array): Uint8Array {
    return owned(createHash('sha256').update(data).digest());
  },

  gcmEncrypt(key, nonce, plaintext, aad, prefix): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
    if (aad !== undefined) cipher.setAAD(aad);
    const out = new Uint8Array(prefix + plaintext.length + GCM_TAG_LENGTH);
    const body = cipher.update(plaintext);
    out.set(body, prefix);
    // GCM is a stream mode: final() emits no bytes, it only computes the tag.
    cipher.final();
    out.set(cipher.getAuthTag(), prefix + plaintext.length);
    return out;
  },

  gcmDecrypt(key, nonce, ciphertextWithTag, aad): Uint8Array | undefined {
    const split = ciphertextWithTag.length - GCM_TAG_LENGTH;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
    decipher.setAuthTag(ciphertextWithTag.subarray(split));
    if (aad !== undefined) decipher.setAAD(aad);
    // OpenSSL decrypts before it checks the tag; the unauthenticated bytes are wiped if the check fails.
    const body = decipher.update(ciphertextWithTag.subarray(0, split));
    try {
      decipher.final();
    } catch {
      body.fill(0);
      return undefined;
    }
    return owned(body);
  },

  randomFill(out: Uint8Array): Uint8Array {
    return randomFillSync(out);
  },

  equal(a: Uint8Array, b: Uint8Array): boolean {
    return nodeTimingSafeEqual(a, b);
  },
};
