/**
 * Which Ed25519 public keys `verify` accepts, decided on the bytes before either engine runs.
 *
 * OpenSSL verifies with the cofactorless equation and accepts any decodable key, so under the identity key
 * `A = (0, 1)` the signature `R = (0, 1), S = 0` verifies for every message; `@noble` in strict mode rejects
 * small-order keys. Rejecting them here makes both backends agree and keeps a signature bound to one
 * signer (the "strong unforgeability / non-repudiation" discussion in Chalkias, Garillot and Nikolaenko,
 * "Taming the many EdDSAs", SSR 2020, §3; libsodium rejects the same keys).
 *
 * @module
 */

const SMALL_ORDER_Y = [
  // The eight points of the 8-torsion subgroup have these five y-coordinates (x's sign masked off):
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4 (x = ±√−1)
  '0100000000000000000000000000000000000000000000000000000000000000', // the identity
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2: y = p − 1
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')));

/** True when the 255-bit little-endian y is at least p = 2^255 − 19 (RFC 8032 §5.1.3 step 1 rejects it). */
function isNonCanonicalY(encoded: Uint8Array): boolean {
  if ((encoded[31]! & 0x7f) !== 0x7f) return false;
  for (let i = 30; i >= 1; i--) if (encoded[i] !== 0xff) return false;
  return encoded[0]! >= 0xed;
}

function isSmallOrder(encoded: Uint8Array): boolean {
  for (const y of SMALL_ORDER_Y) {
    let diff = (encoded[31]! & 0x7f) ^ y[31]!;
    for (let i = 0; i < 31; i++) diff |= encoded[i]! ^ y[i]!;
    if (diff === 0) return true;
  }
  return false;
}

/**
 * Whether a 32-byte encoding may serve as a verification key: canonical `y` and not of small order.
 * Off-curve encodings pass this check and fail in the engine's point decoding.
 *
 * @internal
 */
export function isAcceptablePublicKey(encoded: Uint8Array): boolean {
  return encoded.length === 32 && !isNonCanonicalY(encoded) && !isSmallOrder(encoded);
}
