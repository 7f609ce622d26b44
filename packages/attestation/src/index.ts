/**
 * `@msys/attestation` — AttestationAuthority: TPM 2.0 quotes and event logs, remote-attestation verifier, result
 * tokens and X.509 chains, following the IETF RATS architecture (RFC 9334).
 *
 * @packageDocumentation
 */

export type { EventDigestMismatch } from './eventlog/digests.js';
export { verifyEventDigests } from './eventlog/digests.js';
export { TcgEventType } from './eventlog/event-types.js';
export type { ImaEntry, ImaLog } from './eventlog/ima.js';
export { createImaEntry, encodeImaBinaryLog, parseImaLog, replayImaLog } from './eventlog/ima.js';
export type {
  EventLog,
  EventLogWarning,
  SpecIdAlgorithm,
  SpecIdEvent,
  TcgEvent,
} from './eventlog/pcclient.js';
export { parseEventLog } from './eventlog/pcclient.js';
export type { ReplayedPcrs } from './eventlog/replay.js';
export { replayEventLog } from './eventlog/replay.js';
export type { TpmsAttest, TpmsClockInfo, TpmuAttest } from './tpm/attest.js';
export { encodeTpmsAttest, parseTpmsAttest } from './tpm/attest.js';
export type { ByBank, HashAlgorithmName } from './tpm/constants.js';
export {
  TPM_GENERATED_VALUE,
  TpmAlg,
  TpmaObject,
  TpmCc,
  TpmEccCurve,
  TpmRh,
  TpmSt,
} from './tpm/constants.js';
export type { MadeCredential } from './tpm/credential.js';
export { kdfa, kdfe, makeCredential } from './tpm/credential.js';
export { tpmPublicToKeyObject } from './tpm/keys.js';
export type { PcrBankSelection, PcrSelection } from './tpm/pcr-selection.js';
export type {
  TpmEccParameters,
  TpmRsaParameters,
  TpmScheme,
  TpmSymmetric,
  TpmSymmetricObjectParameters,
  TpmtPublic,
} from './tpm/public.js';
export { encodeTpmtPublic, objectName, parseTpmtPublic } from './tpm/public.js';
export type { PcrBanks, QuoteFailureCode, VerifyQuoteInput, VerifyQuoteResult } from './tpm/quote.js';
export { verifyQuote } from './tpm/quote.js';
export type { TpmResponseCode } from './tpm/response-codes.js';
export { decodeResponseCode } from './tpm/response-codes.js';
export type { TpmtSignature } from './tpm/signature.js';
export { encodeTpmtSignature, parseTpmtSignature } from './tpm/signature.js';
export type { SwtpmProcess } from './tpm/swtpm-process.js';
export { startSwtpm, swtpmAvailable } from './tpm/swtpm-process.js';
export { akTemplate, EK_POLICY_SHA256, ekTemplate } from './tpm/templates.js';
export { Tpm } from './tpm/tpm.js';
export { TpmCommands } from './tpm/tpm-commands.js';
export type { TpmAuthSession, TpmCreated, TpmKey, TpmSignedAttestation } from './tpm/tpm-types.js';
export { passwordSession } from './tpm/tpm-types.js';
export type { SwtpmTransportOptions, TpmTransport } from './tpm/transport.js';
export { DeviceTransport, SwtpmTransport } from './tpm/transport.js';
export type {
  AttestationAuthorityOptions,
  AuthorityGovernor,
} from './verifier/authority.js';
export { AttestationAuthority } from './verifier/authority.js';
export { createSoftwareEvidence } from './verifier/software-evidence.js';
export type { VerifiedResult } from './verifier/token.js';
export { EAR_PROFILE, verifyResult } from './verifier/token.js';
export type {
  AppraisalPolicy,
  AppraisalResult,
  Challenge,
  ClaimAppraisal,
  ClaimName,
  ClaimSet,
  Evidence,
  SoftwareClaims,
  SoftwareEvidence,
  TpmEvidence,
  TrustTier,
} from './verifier/types.js';
export type { CertificateInput, SigningKeyInput } from './x509/certificate.js';
export { EKU_OIDS, loadCertificate } from './x509/certificate.js';
export type {
  GeneralNamesSpec,
  IssueCertificateOptions,
  IssuedCertificate,
  KeyUsageName,
} from './x509/issue.js';
export { issueCertificate } from './x509/issue.js';
export type { ChainFailureCode, ValidateChainInput, ValidateChainResult } from './x509/validate.js';
export { validateChain } from './x509/validate.js';
