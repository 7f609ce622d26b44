import { TpmRh } from './constants.js';
import { akTemplate, ekTemplate } from './templates.js';
import { TpmCommands } from './tpm-commands.js';
import { passwordSession, type TpmAuthSession, type TpmCreated, type TpmKey } from './tpm-types.js';

/**
 * A TPM 2.0 driven through a {@link TpmTransport}: the commands an attester needs, marshalled in TypeScript.
 * Any response code other than success becomes a SystemError `MSYS_ATTESTATION_TPM_RC` whose details name
 * the TPM_RC (e.g. `TPM_RC_POLICY_FAIL`) and the handle/session/parameter at fault.
 *
 * @example
 * ```ts
 * const tpm = new Tpm(await SwtpmTransport.connect({ port }));
 * const ek = await tpm.createEk('rsa');
 * const ak = await tpm.createAk(ek.handle, 'rsa');
 * const { attest, signature } = await tpm.quote(ak.handle, nonce, [{ hash: 'sha256', pcrs: [0, 7] }]);
 * ```
 */
export class Tpm extends TpmCommands {
  /**
   * A one-shot policy session satisfying the TCG default EK policy, PolicySecret(TPM_RH_ENDORSEMENT)
   * (EK Credential Profile §B.3.3); the session ends with the command that uses it.
   *
   * @param endorsementAuth - the endorsement hierarchy's authorization
   * @returns the authorization entry to pass with the EK
   */
  async ekPolicySession(endorsementAuth: TpmAuthSession = passwordSession()): Promise<TpmAuthSession> {
    const session = await this.startPolicySession();
    try {
      await this.policySecret(TpmRh.ENDORSEMENT, session, endorsementAuth);
    } catch (e) {
      await this.flushContext(session).catch(() => undefined);
      throw e;
    }
    return { handle: session, attributes: 0 };
  }

  /**
   * Creates the EK from the TCG default template in the endorsement hierarchy.
   *
   * @param kind - `rsa` (template L-1) or `ecc` (template L-2)
   * @returns the loaded EK
   */
  async createEk(kind: 'rsa' | 'ecc'): Promise<TpmKey> {
    return this.createPrimary(TpmRh.ENDORSEMENT, ekTemplate(kind));
  }

  /**
   * Creates and loads an attestation key under the EK (as `tpm2_createak` does), satisfying the EK policy.
   *
   * @param ek - the EK handle
   * @param kind - `rsa` (RSASSA-SHA256) or `ecc` (ECDSA-P256-SHA256)
   * @returns the loaded AK and its blobs (to reload it later)
   */
  async createAk(ek: number, kind: 'rsa' | 'ecc'): Promise<TpmKey & { readonly blob: TpmCreated }> {
    const blob = await this.withEkPolicy((session) => this.create(ek, akTemplate(kind), session));
    const key = await this.withEkPolicy((session) => this.load(ek, blob, session));
    return { ...key, blob };
  }

  /**
   * ActivateCredential with an AK and an EK from the default template (policy session for the EK).
   *
   * @param ak - the AK handle
   * @param ek - the EK handle
   * @param credentialBlob - from {@link makeCredential}
   * @param secret - from {@link makeCredential}
   * @returns the recovered credential
   */
  async activateCredentialWithEk(
    ak: number,
    ek: number,
    credentialBlob: Uint8Array,
    secret: Uint8Array,
  ): Promise<Uint8Array> {
    return this.withEkPolicy((session) =>
      this.activateCredential(ak, ek, credentialBlob, secret, [passwordSession(), session]),
    );
  }

  /**
   * Runs `fn` with a fresh EK policy session; a failed command leaves its session loaded, so it is flushed then.
   *
   * @param fn - the command needing the EK's USER-role authorization
   * @returns what `fn` returns
   */
  async withEkPolicy<T>(fn: (session: TpmAuthSession) => Promise<T>): Promise<T> {
    const session = await this.ekPolicySession();
    try {
      return await fn(session);
    } catch (e) {
      await this.flushContext(session.handle).catch(() => undefined);
      throw e;
    }
  }
}
