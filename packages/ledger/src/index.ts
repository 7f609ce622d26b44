/**
 * `@msys/ledger` — BFT-replicated autoblocker ledger: consensus, durable storage, RFC 9162 audit trail and threat-intel matching
 *
 * @packageDocumentation
 */

export type { ReplicaStats } from './consensus/replica-types.js';
export type { Checkpoint } from './consensus/state.js';
export type { Block, QuorumCertificate, Validator, VoteSignature } from './consensus/types.js';
export {
  type BlocklistImport,
  type BlocklistRefusal,
  type CommittedEntry,
  canonicalJson,
  classifyValue,
  type Decision,
  type DecisionRule,
  type EquivocationEntry,
  type EquivocationStatement,
  encodeEntry,
  entryId,
  exportStix,
  INDICATOR_KINDS,
  type Indicator,
  type IndicatorInput,
  type IndicatorKind,
  type IntelAction,
  type IntelEntry,
  type IntelEntryInput,
  IntelIndex,
  type IntelPolicy,
  importStix,
  type LedgerEntry,
  type LedgerEntryInput,
  MAX_VALIDATORS,
  normalizeIndicator,
  type Provenance,
  parseBlocklist,
  parseStixPattern,
  type ReconfigurationApproval,
  type ReconfigurationEntry,
  type ReconfigurationEntryInput,
  type ReconfigurationValidator,
  type RevocationEntry,
  type RevocationEntryInput,
  type StixBundle,
  type StixImport,
  type StixIndicator,
  type StixRefusal,
  validateEntry,
} from './intel/index.js';
export {
  type CustomStorageOptions,
  Ledger,
  type LedgerEpoch,
  type LedgerKeyPair,
  type LedgerOptions,
  type LedgerStats,
  type LedgerTimeSource,
  type PathStorageOptions,
  type Receipt,
} from './ledger.js';
export {
  type ConsistencyCheck,
  emptyRoot,
  encodeTreeHead,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  type InclusionCheck,
  MerkleLog,
  type SignedTreeHead,
  signTreeHead,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from './merkle/index.js';
export { type LedgerStore, LevelStore, MemoryStore, type StoreWrite } from './storage/index.js';
export { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './transport/frame.js';
export { InMemoryNetwork, type NetworkFaults, type NetworkStats } from './transport/in-memory.js';
export {
  type TcpBackoff,
  type TcpListenAddress,
  type TcpPeer,
  type TcpRandomSource,
  TcpTransport,
  type TcpTransportOptions,
  type TcpTransportStats,
} from './transport/tcp.js';
export type { Transport } from './transport/transport.js';
