import { randomBytes } from 'node:crypto';
import { errors } from '../errors.js';
import { type ByBank, type HashAlgorithmName, hashAlgId, TpmAlg, TpmCc, TpmRh, TpmSt } from './constants.js';
import { TpmReader, TpmWriter } from './marshal.js';
import { type PcrBankSelection, readPcrSelection, writePcrSelection } from './pcr-selection.js';
import { objectName, readTpmtPublic, type TpmtPublic } from './public.js';
import type { PcrBanks } from './quote.js';
import { decodeResponseCode } from './response-codes.js';
import { readTpmtSignature } from './signature.js';
import {
  passwordSession,
  type TpmAuthSession,
  type TpmCreated,
  type TpmKey,
  type TpmSignedAttestation,
} from './tpm-types.js';
import type { TpmTransport } from './transport.js';

/**
 * The TPM 2.0 commands an attester needs, marshalled in TypeScript over a {@link TpmTransport}. Any response
 * code other than success becomes a SystemError `MSYS_ATTESTATION_TPM_RC` whose details name the TPM_RC
 * (e.g. `TPM_RC_POLICY_FAIL`) and the handle/session/parameter at fault. {@link Tpm} adds the EK/AK flows.
 */
export class TpmCommands {
  /**
   * @param transport - where commands go (swtpm, the kernel device)
   */
  constructor(readonly transport: TpmTransport) {}

  /**
   * Sends one command and returns the response's handles and parameter area.
   *
   * @param cc - the command code
   * @param handles - the handle area
   * @param sessions - the authorization area, or undefined for a command without sessions
   * @param params - the marshalled parameters
   * @param responseHandles - how many handles the response carries
   * @returns the response handles and a reader over the parameters
   * @throws SystemError `MSYS_ATTESTATION_TPM_RC` when the TPM returns an error
   * @internal
   */
  async execute(
    cc: number,
    handles: readonly number[],
    sessions: readonly TpmAuthSession[] | undefined,
    params: Uint8Array,
    responseHandles = 0,
  ): Promise<{ handles: number[]; params: TpmReader }> {
    const w = new TpmWriter();
    w.u16(sessions === undefined ? TpmSt.NO_SESSIONS : TpmSt.SESSIONS)
      .u32(0)
      .u32(cc);
    for (const h of handles) w.u32(h);
    if (sessions !== undefined) {
      const a = new TpmWriter();
      for (const s of sessions) {
        a.u32(s.handle).tpm2b(s.nonce ?? new Uint8Array());
        a.u8(s.attributes ?? (s.handle === TpmRh.PW ? 0 : 1)).tpm2b(s.hmac ?? new Uint8Array());
      }
      const area = a.finish();
      w.u32(area.length).bytes(area);
    }
    w.bytes(params);
    w.setU32At(2, w.length);
    const command = w.finish();
    let response = await this.transport.send(command);
    // TPM_RC_RETRY, TPM_RC_YIELDED and TPM_RC_TESTING ask the caller to resend the same command (Part 2 §6.6.3).
    for (let attempt = 0; attempt < 20 && isRetry(response); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
      response = await this.transport.send(command);
    }
    const r = new TpmReader(response, `TPM2_${ccName(cc)} response`);
    const tag = r.u16();
    const size = r.u32();
    const rc = r.u32();
    if (size !== response.length)
      throw r.malformed(`header size ${size} differs from ${response.length} bytes received`);
    if (rc !== 0) {
      const d = decodeResponseCode(rc);
      throw errors.MSYS_ATTESTATION_TPM_RC({
        command: ccName(cc),
        rc,
        rcName: d.name,
        detail: d.location === '' ? 'no location' : `at ${d.location}`,
      });
    }
    const outHandles: number[] = [];
    for (let i = 0; i < responseHandles; i++) outHandles.push(r.u32());
    if (tag === TpmSt.SESSIONS) {
      const paramSize = r.u32();
      const body = r.take(paramSize);
      return { handles: outHandles, params: new TpmReader(body, `TPM2_${ccName(cc)} parameters`) };
    }
    return {
      handles: outHandles,
      params: new TpmReader(r.take(r.remaining), `TPM2_${ccName(cc)} parameters`),
    };
  }

  /**
   * TPM2_Startup. A TPM already started (swtpm `--flags startup-clear`) answers TPM_RC_INITIALIZE; that is
   * reported as `false`, not an error.
   *
   * @param type - `clear` (TPM_SU_CLEAR) or `state` (TPM_SU_STATE)
   * @returns true when this call started the TPM
   */
  async startup(type: 'clear' | 'state' = 'clear'): Promise<boolean> {
    try {
      await this.execute(
        TpmCc.Startup,
        [],
        undefined,
        new TpmWriter().u16(type === 'clear' ? 0 : 1).finish(),
      );
      return true;
    } catch (e) {
      if (errors.MSYS_ATTESTATION_TPM_RC.is(e) && e.details.rc === 0x100) return false;
      throw e;
    }
  }

  /**
   * TPM2_GetRandom, repeated until `n` bytes are gathered (the TPM returns at most one digest's worth per call).
   *
   * @param n - number of bytes
   * @returns random bytes from the TPM's RNG
   */
  async getRandom(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const { params } = await this.execute(
        TpmCc.GetRandom,
        [],
        undefined,
        new TpmWriter().u16(Math.min(64, n - have)).finish(),
      );
      const b = params.tpm2b();
      if (b.length === 0) break;
      parts.push(b);
      have += b.length;
    }
    return new Uint8Array(Buffer.concat(parts).subarray(0, n));
  }

  /**
   * TPM2_PCR_Read over as many calls as needed (a TPM returns at most 8 digests per call, Part 3 §22.4).
   *
   * @param selection - banks and PCR indices
   * @returns the values by bank and index
   */
  async pcrRead(
    selection: ReadonlyArray<{ readonly hash: HashAlgorithmName; readonly pcrs: readonly number[] }>,
  ): Promise<PcrBanks> {
    const out: Partial<Record<HashAlgorithmName, Record<number, Uint8Array>>> = {};
    const pending = selection.map((s) => ({ hash: s.hash, pcrs: [...s.pcrs].sort((a, b) => a - b) }));
    while (pending.some((s) => s.pcrs.length > 0)) {
      const ask = pending.filter((s) => s.pcrs.length > 0);
      const w = new TpmWriter();
      writePcrSelection(w, ask);
      const { params } = await this.execute(TpmCc.PCR_Read, [], undefined, w.finish());
      params.u32(); // pcrUpdateCounter
      const got = readPcrSelection(params);
      const count = params.u32();
      const digests: Uint8Array[] = [];
      for (let i = 0; i < count; i++) digests.push(params.tpm2b(64));
      let k = 0;
      let progressed = false;
      for (const sel of got) {
        if (sel.hash === undefined) continue;
        const bank = out[sel.hash] ?? {};
        out[sel.hash] = bank;
        const want = pending.find((p) => p.hash === sel.hash);
        for (const index of sel.pcrs) {
          const d = digests[k++];
          if (d === undefined) break;
          bank[index] = d;
          if (want !== undefined) want.pcrs = want.pcrs.filter((p) => p !== index);
          progressed = true;
        }
      }
      if (!progressed) {
        throw errors.MSYS_ATTESTATION_MALFORMED({
          structure: 'TPM2_PCR_Read',
          reason: 'the TPM returned none of the requested PCRs (bank not allocated?)',
        });
      }
    }
    return out;
  }

  /**
   * TPM2_PCR_Extend: PCR ← H(PCR ‖ digest) in each bank given.
   *
   * @param pcr - the PCR index
   * @param digests - one digest per bank to extend
   * @param auth - the PCR's authorization (empty password by default)
   */
  async pcrExtend(
    pcr: number,
    digests: ByBank<Uint8Array>,
    auth: TpmAuthSession = passwordSession(),
  ): Promise<void> {
    const entries = Object.entries(digests).filter(
      (e): e is [HashAlgorithmName, Uint8Array] => e[1] !== undefined,
    );
    const w = new TpmWriter().u32(entries.length);
    for (const [bank, d] of entries) w.u16(hashAlgId(bank)).bytes(d);
    await this.execute(TpmCc.PCR_Extend, [pcr], [auth], w.finish());
  }

  /**
   * TPM2_CreatePrimary.
   *
   * @param hierarchy - e.g. `TpmRh.ENDORSEMENT`
   * @param template - TPMT_PUBLIC bytes (see {@link ekTemplate})
   * @param auth - the hierarchy's authorization (empty password by default)
   * @returns the loaded key
   */
  async createPrimary(
    hierarchy: number,
    template: Uint8Array,
    auth: TpmAuthSession = passwordSession(),
  ): Promise<TpmKey> {
    const w = new TpmWriter();
    w.sized((s) => s.tpm2b(new Uint8Array()).tpm2b(new Uint8Array())); // TPM2B_SENSITIVE_CREATE
    w.tpm2b(template).tpm2b(new Uint8Array()).u32(0); // outsideInfo, empty creationPCR
    const { handles, params } = await this.execute(TpmCc.CreatePrimary, [hierarchy], [auth], w.finish(), 1);
    const pub = readTpm2bPublic(params);
    return { handle: handles[0] ?? 0, public: pub, name: objectName(pub) };
  }

  /**
   * TPM2_Create: a child key under `parent`.
   *
   * @param parent - the parent's handle
   * @param template - TPMT_PUBLIC bytes (see {@link akTemplate})
   * @param auth - the parent's authorization
   * @returns the private and public blobs
   */
  async create(parent: number, template: Uint8Array, auth: TpmAuthSession): Promise<TpmCreated> {
    const w = new TpmWriter();
    w.sized((s) => s.tpm2b(new Uint8Array()).tpm2b(new Uint8Array()));
    w.tpm2b(template).tpm2b(new Uint8Array()).u32(0);
    const { params } = await this.execute(TpmCc.Create, [parent], [auth], w.finish());
    const priv = params.tpm2b();
    const pub = params.tpm2b();
    return { private: priv, public: pub };
  }

  /**
   * TPM2_Load.
   *
   * @param parent - the parent's handle
   * @param blob - the output of {@link Tpm.create}
   * @param auth - the parent's authorization
   * @returns the loaded key
   */
  async load(parent: number, blob: TpmCreated, auth: TpmAuthSession): Promise<TpmKey> {
    const w = new TpmWriter().tpm2b(blob.private).tpm2b(blob.public);
    const { handles, params } = await this.execute(TpmCc.Load, [parent], [auth], w.finish(), 1);
    const name = params.tpm2b();
    const pub = readTpmtPublic(new TpmReader(blob.public, 'TPMT_PUBLIC'));
    return { handle: handles[0] ?? 0, public: pub, name };
  }

  /**
   * TPM2_ReadPublic.
   *
   * @param handle - a loaded object
   * @returns its public area, Name and qualified Name
   */
  async readPublic(
    handle: number,
  ): Promise<{ public: TpmtPublic; name: Uint8Array; qualifiedName: Uint8Array }> {
    const { params } = await this.execute(TpmCc.ReadPublic, [handle], undefined, new Uint8Array());
    const pub = readTpm2bPublic(params);
    return { public: pub, name: params.tpm2b(), qualifiedName: params.tpm2b() };
  }

  /**
   * TPM2_FlushContext: frees a transient object or session.
   *
   * @param handle - the handle to flush
   */
  async flushContext(handle: number): Promise<void> {
    await this.execute(TpmCc.FlushContext, [], undefined, new TpmWriter().u32(handle).finish());
  }

  /**
   * TPM2_Quote: the AK signs the PCR digest and the nonce.
   *
   * @param ak - the AK handle
   * @param nonce - qualifyingData (the verifier's challenge, at most 64 bytes)
   * @param selection - the PCRs to quote
   * @param auth - the AK's authorization
   * @returns the TPMS_ATTEST and TPMT_SIGNATURE bytes
   */
  async quote(
    ak: number,
    nonce: Uint8Array,
    selection: readonly PcrBankSelection[],
    auth: TpmAuthSession = passwordSession(),
  ): Promise<TpmSignedAttestation> {
    const w = new TpmWriter().tpm2b(nonce).u16(TpmAlg.NULL);
    writePcrSelection(w, selection);
    const { params } = await this.execute(TpmCc.Quote, [ak], [auth], w.finish());
    return readSigned(params);
  }

  /**
   * TPM2_Certify: `signer` attests that `object` is loaded in this TPM (binds a key to the AK).
   *
   * @param object - the certified object
   * @param signer - the signing key (an AK)
   * @param qualifyingData - the verifier's nonce
   * @param auth - the authorizations of the object then the signer
   * @returns the TPMS_ATTEST (TPM_ST_ATTEST_CERTIFY) and signature
   */
  async certify(
    object: number,
    signer: number,
    qualifyingData: Uint8Array,
    auth: readonly [TpmAuthSession, TpmAuthSession] = [passwordSession(), passwordSession()],
  ): Promise<TpmSignedAttestation> {
    const w = new TpmWriter().tpm2b(qualifyingData).u16(TpmAlg.NULL);
    const { params } = await this.execute(TpmCc.Certify, [object, signer], auth, w.finish());
    return readSigned(params);
  }

  /**
   * TPM2_StartAuthSession for an unbound, unsalted policy session with SHA-256.
   *
   * @returns the session handle
   */
  async startPolicySession(): Promise<number> {
    const w = new TpmWriter().tpm2b(new Uint8Array(randomBytes(16))).tpm2b(new Uint8Array());
    w.u8(0x01).u16(TpmAlg.NULL).u16(TpmAlg.SHA256); // TPM_SE_POLICY, TPMT_SYM_DEF NULL, authHash
    const { handles } = await this.execute(
      TpmCc.StartAuthSession,
      [TpmRh.NULL, TpmRh.NULL],
      undefined,
      w.finish(),
      1,
    );
    return handles[0] ?? 0;
  }

  /**
   * TPM2_PolicySecret: satisfies a policy with the authorization of `authHandle` (the EK policy uses the
   * endorsement hierarchy).
   *
   * @param authHandle - the entity whose authorization is proven
   * @param session - the policy session
   * @param auth - the authorization of `authHandle`
   */
  async policySecret(
    authHandle: number,
    session: number,
    auth: TpmAuthSession = passwordSession(),
  ): Promise<void> {
    const w = new TpmWriter().tpm2b(new Uint8Array()).tpm2b(new Uint8Array()).tpm2b(new Uint8Array()).i32(0);
    await this.execute(TpmCc.PolicySecret, [authHandle, session], [auth], w.finish());
  }

  /**
   * TPM2_ActivateCredential: recovers a credential made for `activate` (by Name) and protected to `key`.
   *
   * @param activate - the object named in the credential (the AK); ADMIN role
   * @param key - the decryption key the seed was encrypted to (the EK)
   * @param credentialBlob - TPMS_ID_OBJECT bytes from {@link makeCredential}
   * @param secret - the encrypted seed from {@link makeCredential}
   * @param auth - authorizations of `activate` and `key`
   * @returns the credential
   */
  async activateCredential(
    activate: number,
    key: number,
    credentialBlob: Uint8Array,
    secret: Uint8Array,
    auth: readonly [TpmAuthSession, TpmAuthSession],
  ): Promise<Uint8Array> {
    const w = new TpmWriter().tpm2b(credentialBlob).tpm2b(secret);
    const { params } = await this.execute(TpmCc.ActivateCredential, [activate, key], auth, w.finish());
    return params.tpm2b();
  }

  /** Closes the transport. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

function isRetry(response: Uint8Array): boolean {
  if (response.length < 10) return false;
  const rc =
    ((response[6] ?? 0) << 24) | ((response[7] ?? 0) << 16) | ((response[8] ?? 0) << 8) | (response[9] ?? 0);
  return rc === 0x922 || rc === 0x908 || rc === 0x90a;
}

function readTpm2bPublic(r: TpmReader): TpmtPublic {
  const size = r.u16();
  const inner = new TpmReader(r.take(size), 'TPM2B_PUBLIC');
  const pub = readTpmtPublic(inner);
  inner.end();
  return pub;
}

function readSigned(params: TpmReader): TpmSignedAttestation {
  const attest = params.tpm2b();
  const start = params.offset;
  readTpmtSignature(params);
  return { attest, signature: params.bytes.slice(start, params.offset) };
}

function ccName(cc: number): string {
  for (const [k, v] of Object.entries(TpmCc)) if (v === cc) return k;
  return `CC_0x${cc.toString(16)}`;
}
