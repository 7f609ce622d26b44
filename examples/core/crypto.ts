/**
 * Signatures, hashing, authenticated encryption and codecs from @msys/core/crypto, on both backends.
 * Run: pnpm exec tsx --conditions=@msys/source examples/core/crypto.ts
 */
import {
  blake3,
  createCrypto,
  decrypt,
  encrypt,
  fromBase64url,
  fromHex,
  generateKeyPair,
  open,
  randomBytes,
  seal,
  sha256,
  sign,
  timingSafeEqual,
  toBase64url,
  toHex,
  verify,
} from '@msys/core/crypto';
import { isSystemError } from '@msys/core/errors';

const utf8 = new TextEncoder();
const text = new TextDecoder();

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (isSystemError(e)) return `${e.code} (${e.category})`;
    throw e;
  }
}

// Ed25519: a key pair, a signature, and what verify says about a tampered message.
const { publicKey, secretKey } = generateKeyPair();
const message = utf8.encode('transfer 10 credits to replica-3');
const signature = sign(message, secretKey);
console.log(`Ed25519 public key ${toBase64url(publicKey)}`);
console.log(`signature (64 bytes) ${toHex(signature).slice(0, 32)}…`);
console.log(`verify(original) = ${verify(signature, message, publicKey)}`);
console.log(
  `verify(tampered) = ${verify(signature, utf8.encode('transfer 99 credits to replica-3'), publicKey)}`,
);
console.log(
  `verify(truncated signature) = ${verify(signature.subarray(0, 63), message, publicKey)} (false, not a throw)`,
);

// The portable backend signs the same bytes: Ed25519 is deterministic (RFC 8032 §5.1.6).
const noble = createCrypto('noble');
const sameSignature = toHex(noble.sign(message, secretKey)) === toHex(signature);
console.log(`noble backend gives the identical signature: ${sameSignature}`);
if (!sameSignature) process.exit(1);

// BLAKE3 in its three modes, and SHA-256.
const data = utf8.encode('hello');
console.log(`blake3(hello)            = ${toHex(blake3(data))}`);
console.log(`blake3(hello, 64 bytes)  = ${toHex(blake3(data, { dkLen: 64 })).slice(0, 48)}…`);
console.log(`blake3 MAC under a key   = ${toHex(blake3(data, { key: fromHex('11'.repeat(32)) }))}`);
const subkey = blake3(secretKey, { context: 'msys example 2026-11-25 storage key' });
console.log(`derived storage subkey   = ${toHex(subkey).slice(0, 16)}… (32 bytes)`);
console.log(`sha256(hello)            = ${toHex(sha256(data))}`);

// AES-256-GCM: seal/open with a random nonce, and explicit nonces with associated data.
const key = randomBytes(32);
const header = utf8.encode('record v1');
const sealed = seal(key, utf8.encode('the launch code is 0000'), header);
console.log(`sealed ${sealed.length} bytes (12 nonce + 23 ciphertext + 16 tag)`);
console.log(`open → "${text.decode(open(key, sealed, header))}"`);
console.log(`open with other associated data → ${codeOf(() => open(key, sealed, utf8.encode('record v2')))}`);
const flipped = sealed.slice();
flipped[20]! ^= 1;
console.log(`open of a flipped bit → ${codeOf(() => open(key, flipped, header))}`);
const nonce = randomBytes(12);
const ct = encrypt(key, nonce, data, header);
console.log(`encrypt/decrypt round trip: "${text.decode(decrypt(key, nonce, ct, header))}"`);
console.log(`the noble backend decrypts it too: "${text.decode(noble.decrypt(key, nonce, ct, header))}"`);
console.log(`a 128-bit key → ${codeOf(() => encrypt(randomBytes(16), nonce, data))}`);
console.log(`an 8-byte nonce → ${codeOf(() => encrypt(key, randomBytes(8), data))}`);
console.log(`a string as key → ${codeOf(() => encrypt('secret' as unknown as Uint8Array, nonce, data))}`);

// Constant-time comparison and strict codecs.
console.log(`timingSafeEqual(tag, tag) = ${timingSafeEqual(ct.subarray(-16), ct.slice(-16))}`);
console.log(`fromBase64url('-_8') = [${[...fromBase64url('-_8')].join(', ')}]`);
console.log(`fromHex('0xff') → ${codeOf(() => fromHex('0xff'))}`);
console.log(`fromBase64url('Zg==') → ${codeOf(() => fromBase64url('Zg=='))}`);
