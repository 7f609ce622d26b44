export { type BlocklistImport, type BlocklistRefusal, parseBlocklist } from './blocklist.js';
export {
  canonicalJson,
  type EquivocationEntry,
  type EquivocationStatement,
  encodeEntry,
  entryId,
  type IndicatorInput,
  type IntelAction,
  type IntelEntry,
  type IntelEntryInput,
  type LedgerEntry,
  type LedgerEntryInput,
  type RevocationEntry,
  type RevocationEntryInput,
  validateEntry,
} from './entry.js';
export {
  classifyValue,
  INDICATOR_KINDS,
  type Indicator,
  type IndicatorKind,
  normalizeIndicator,
} from './indicator.js';
export {
  type CommittedEntry,
  type Decision,
  type DecisionRule,
  IntelIndex,
  type Provenance,
} from './intel-index.js';
export type { IntelPolicy } from './policy.js';
export {
  MAX_VALIDATORS,
  type ReconfigurationApproval,
  type ReconfigurationEntry,
  type ReconfigurationEntryInput,
  type ReconfigurationValidator,
} from './reconfiguration.js';
export {
  exportStix,
  importStix,
  parseStixPattern,
  type StixBundle,
  type StixImport,
  type StixIndicator,
  type StixRefusal,
} from './stix.js';
