import {
  constants,
  createCipheriv,
  createECDH,
  createHash,
  createHmac,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { concat, u32be } from '../bytes.js';
import { errors } from '../errors.js';
import { algName, hashInfo, TpmAlg } from './constants.js';
import { curveInfo, padStart, tpmPublicToKeyObject } from './keys.js';
import { TpmWriter } from './marshal.js';
import { parseTpmtPublic, type TpmtPublic } from './public.js';

const enc = new TextEncoder();

/** Appends the terminating NUL the TPM includes in KDF labels (Part 1 §11.4.10.1). */
function label(s: string): Uint8Array {
  return enc.encode(`${s}\0`);
}

/**
 * KDFa (SP 800-108 counter mode with HMAC; TPM 2.0 Part 1 §11.4.10.2):
 * K(i) = HMAC(key, [i]₃₂ ‖ Label ‖ 0x00 ‖ ContextU ‖ ContextV ‖ [bits]₃₂).
 *
 * @param hash - node hash name, e.g. `sha256`
 * @param key - the HMAC key (the seed)
 * @param use - the label without its NUL, e.g. `STORAGE`
 * @param contextU - first context value
 * @param contextV - second context value
 * @param bits - output length in bits (a multiple of 8)
 * @returns bits/8 bytes
 */
export function kdfa(
  hash: string,
  key: Uint8Array,
  use: string,
  contextU: Uint8Array,
  contextV: Uint8Array,
  bits: number,
): Uint8Array {
  const bytes = Math.ceil(bits / 8);
  const out: Uint8Array[] = [];
  let have = 0;
  for (let i = 1; have < bytes; i++) {
    const block = createHmac(hash, key)
      .update(u32be(i))
      .update(label(use))
      .update(contextU)
      .update(contextV)
      .update(u32be(bits))
      .digest();
    out.push(block);
    have += block.length;
  }
  return concat(...out).slice(0, bytes);
}

/**
 * KDFe (SP 800-56A concatenation KDF; TPM 2.0 Part 1 §11.4.10.3):
 * K(i) = H([i]₃₂ ‖ Z ‖ Use ‖ PartyUInfo ‖ PartyVInfo).
 *
 * @param hash - node hash name
 * @param z - the ECDH shared secret (x coordinate)
 * @param use - the label without its NUL, e.g. `IDENTITY`
 * @param partyU - PartyUInfo (the ephemeral key's x)
 * @param partyV - PartyVInfo (the TPM key's x)
 * @param bits - output length in bits
 * @returns bits/8 bytes
 */
export function kdfe(
  hash: string,
  z: Uint8Array,
  use: string,
  partyU: Uint8Array,
  partyV: Uint8Array,
  bits: number,
): Uint8Array {
  const bytes = Math.ceil(bits / 8);
  const out: Uint8Array[] = [];
  let have = 0;
  for (let i = 1; have < bytes; i++) {
    const block = createHash(hash)
      .update(u32be(i))
      .update(z)
      .update(label(use))
      .update(partyU)
      .update(partyV)
      .digest();
    out.push(block);
    have += block.length;
  }
  return concat(...out).slice(0, bytes);
}

/** Output of {@link makeCredential}: the two ActivateCredential parameters (without their TPM2B size). */
export interface MadeCredential {
  /** TPMS_ID_OBJECT: integrityHMAC (TPM2B) ‖ encIdentity. */
  readonly credentialBlob: Uint8Array;
  /** The seed encrypted to the EK: RSA-OAEP ciphertext, or a marshalled TPMS_ECC_POINT (the ephemeral key). */
  readonly secret: Uint8Array;
}

/**
 * TPM2_MakeCredential done by the verifier in software (Part 1 §24, Part 3 §12.6): protects `credential` so
 * that only the TPM holding `ekPublic` can recover it, and only for the object named `akName`
 * (TPM2_ActivateCredential checks the name). The seed is encrypted to the EK with RSA-OAEP (label
 * "IDENTITY\0") or, for an ECC EK, derived by ECDH with an ephemeral key and KDFe.
 *
 * @param ekPublic - the EK's TPMT_PUBLIC/TPM2B_PUBLIC bytes or parsed public area (a restricted decryption key)
 * @param akName - the Name of the key to bind (nameAlg ‖ digest)
 * @param credential - the secret to protect (at most the EK nameAlg's digest size)
 * @param random - source of randomness (the seed and the ECDH key); default node:crypto
 * @returns the credential blob and the encrypted secret
 * @throws SystemError `MSYS_ATTESTATION_INVALID_ARGUMENT` for a credential that is too long or an EK without
 *   AES-CFB; `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` for other key types
 * @example
 * ```ts
 * const secret = randomBytes(32);
 * const { credentialBlob, secret: encSecret } = makeCredential(ekPublic, akName, secret);
 * const recovered = await tpm.activateCredentialWithEk(ak, ek, credentialBlob, encSecret);
 * ```
 */
export function makeCredential(
  ekPublic: Uint8Array | TpmtPublic,
  akName: Uint8Array,
  credential: Uint8Array,
  random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
): MadeCredential {
  const ek = ekPublic instanceof Uint8Array ? parseTpmtPublic(ekPublic) : ekPublic;
  const info = hashInfo(ek.nameAlg);
  if (info === undefined || info.name === 'sm3_256') {
    throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
      structure: 'EK nameAlg',
      algorithm: algName(ek.nameAlg),
    });
  }
  const hash = info.name;
  if (!(credential instanceof Uint8Array) || credential.length === 0 || credential.length > info.size) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'credential',
      expected: `1..${info.size} bytes`,
      received: credential instanceof Uint8Array ? `Uint8Array(${credential.length})` : typeof credential,
    });
  }
  const p = ek.parameters;
  if (p.type !== 'rsa' && p.type !== 'ecc') {
    throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({ structure: 'EK', algorithm: p.type });
  }
  if (p.symmetric.algorithm !== TpmAlg.AES || p.symmetric.mode !== TpmAlg.CFB) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'ekPublic.parameters.symmetric',
      expected: 'AES in CFB mode (a storage key)',
      received: algName(p.symmetric.algorithm),
    });
  }
  let seed: Uint8Array;
  let secret: Uint8Array;
  if (p.type === 'rsa') {
    seed = random(info.size);
    secret = new Uint8Array(
      publicEncrypt(
        {
          key: tpmPublicToKeyObject(ek),
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: hash,
          oaepLabel: label('IDENTITY'),
        },
        seed,
      ),
    );
  } else {
    const c = curveInfo(p.curveId);
    const ecdh = createECDH(c.nodeName);
    ecdh.setPrivateKey(Buffer.from(random(c.size)));
    const ekX = padStart(p.x, c.size);
    const ekPoint = Buffer.concat([Buffer.from([4]), ekX, padStart(p.y, c.size)]);
    const z = new Uint8Array(ecdh.computeSecret(ekPoint));
    const eph = ecdh.getPublicKey();
    const ephX = new Uint8Array(eph.subarray(1, 1 + c.size));
    const ephY = new Uint8Array(eph.subarray(1 + c.size));
    seed = kdfe(hash, z, 'IDENTITY', ephX, ekX, info.size * 8);
    secret = new TpmWriter().tpm2b(ephX).tpm2b(ephY).finish();
  }
  const symKey = kdfa(hash, seed, 'STORAGE', akName, new Uint8Array(), p.symmetric.keyBits);
  const cipher = createCipheriv(`aes-${p.symmetric.keyBits}-cfb`, symKey, Buffer.alloc(16));
  const plain = new TpmWriter().tpm2b(credential).finish();
  const encIdentity = new Uint8Array(Buffer.concat([cipher.update(plain), cipher.final()]));
  const hmacKey = kdfa(hash, seed, 'INTEGRITY', new Uint8Array(), new Uint8Array(), info.size * 8);
  const outerHmac = createHmac(hash, hmacKey).update(encIdentity).update(akName).digest();
  return { credentialBlob: new TpmWriter().tpm2b(outerHmac).bytes(encIdentity).finish(), secret };
}
