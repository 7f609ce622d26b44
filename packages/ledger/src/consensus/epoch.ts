import type { CommittedEntry } from '../intel/intel-index.js';
import type { ReconfigurationEntry } from '../intel/reconfiguration.js';
import { CertificateVerifier, chainId, genesisBlock, verifyHex } from './certificates.js';
import type { Block, Validator } from './types.js';

/**
 * One epoch: a static validator set and everything derived from it. Epoch 0 starts at height 0 with the
 * validators given to `Ledger.open`; epoch e+1 starts at the height of the block that committed the
 * reconfiguration ending epoch e (the epoch boundary), from a fresh genesis whose hash binds the epoch number,
 * the new set and that block's hash. Views restart at 1; heights and the Merkle log continue.
 *
 * @internal
 */
export interface Epoch {
  /** The epoch number. */
  readonly number: number;
  /** The validator set. */
  readonly validators: readonly Validator[];
  /** This replica's index in the set, or -1 when it is not a member (it then follows as a learner). */
  readonly index: number;
  /** n = 3f+1. */
  readonly n: number;
  /** Faults tolerated. */
  readonly f: number;
  /** 2f+1 (n − f). */
  readonly quorum: number;
  /** The epoch's chain id (domain separation of every signature). */
  readonly chain: string;
  /** The epoch's genesis block, at `startHeight`. */
  readonly genesis: Block;
  /** Certificate checks against this set. */
  readonly certs: CertificateVerifier;
  /** The committed height the epoch starts from. */
  readonly startHeight: number;
  /** The hash of the committed block it starts after ('' for epoch 0). */
  readonly startHash: string;
}

/** Builds an epoch. `self` is this replica's id and public key. @internal */
export function makeEpoch(
  number: number,
  validators: readonly Validator[],
  self: { readonly id: string; readonly publicKey: Uint8Array },
  startHeight = 0,
  startHash = '',
): Epoch {
  const n = validators.length;
  const f = Math.floor((n - 1) / 3);
  const chain = chainId(validators, number, startHash);
  const genesis = genesisBlock(chain, number, startHeight);
  const index = validators.findIndex(
    (v) => v.id === self.id && Buffer.from(v.publicKey).equals(Buffer.from(self.publicKey)),
  );
  return {
    number,
    validators,
    index,
    n,
    f,
    quorum: n - f,
    chain,
    genesis,
    certs: new CertificateVerifier(validators, chain, n - f, genesis),
    startHeight,
    startHash,
  };
}

const encoder = new TextEncoder();

/** The statement a current validator signs to approve a reconfiguration. @internal */
export function reconfigurationStatement(
  chain: string,
  entry: Pick<ReconfigurationEntry, 'epoch' | 'validators'>,
): Uint8Array {
  const set = entry.validators.map((v) => `${v.id}\0${v.publicKey}`).join('\0');
  return encoder.encode(`msys-ledger/reconfigure/v1|${chain}|${entry.epoch}|${set}`);
}

/** The validators a reconfiguration entry lists, keys decoded. @internal */
export function validatorsOf(entry: ReconfigurationEntry): Validator[] {
  return entry.validators.map((v) => ({
    id: v.id,
    publicKey: new Uint8Array(Buffer.from(v.publicKey, 'hex')),
  }));
}

/**
 * Whether a committed reconfiguration ends `epoch`: it names the next epoch and carries valid approvals from a
 * quorum of distinct validators of `epoch`. Every replica decides this from committed data only, so all agree.
 *
 * @internal
 */
export function isEffective(epoch: Epoch, entry: ReconfigurationEntry): boolean {
  if (entry.epoch !== epoch.number + 1) return false;
  const statement = reconfigurationStatement(epoch.chain, entry);
  const approvers = new Set<number>();
  for (const a of entry.approvals) {
    const i = epoch.validators.findIndex((v) => v.id === a.id);
    if (i < 0 || approvers.has(i) || !verifyHex(epoch.validators, i, statement, a.signature)) continue;
    approvers.add(i);
  }
  return approvers.size >= epoch.quorum;
}

/**
 * The first effective reconfiguration among the entries a block commits (its fresh entries, in log order).
 *
 * @internal
 */
export function boundaryIn(
  epoch: Epoch,
  committed: readonly CommittedEntry[],
): ReconfigurationEntry | undefined {
  for (const c of committed) {
    if (c.entry.type === 'reconfigure' && isEffective(epoch, c.entry)) return c.entry;
  }
  return undefined;
}

/** What committing a chain of blocks amounts to, once cut at an epoch boundary. @internal */
export interface CommitPlan {
  /** The blocks to commit: the chain up to and including the boundary block, if any. */
  readonly blocks: Block[];
  /** Their fresh entries with log positions. */
  readonly committed: CommittedEntry[];
  /** The epoch that starts at the boundary, when the chain crosses one. */
  readonly next?: Epoch;
}

/**
 * Plans the commit of `chain` (oldest first) in `epoch`. The epoch ends at the first block that commits an
 * effective reconfiguration: the blocks above it are never committed in this epoch (their entries stay in
 * the mempool for the next one). Every replica cuts at the same block, so all agree on where epochs end.
 *
 * @internal
 */
export function planCommit(
  epoch: Epoch,
  chain: readonly Block[],
  isCommitted: (id: string) => boolean,
  logSize: number,
  self: { readonly id: string; readonly publicKey: Uint8Array },
  idOf: (e: Block['entries'][number]) => string,
): CommitPlan {
  const committed: CommittedEntry[] = [];
  const fresh = new Set<string>();
  for (let i = 0; i < chain.length; i++) {
    const b = chain[i] as Block;
    const start = committed.length;
    for (const entry of b.entries) {
      const id = idOf(entry);
      if (isCommitted(id) || fresh.has(id)) continue;
      fresh.add(id);
      committed.push({
        id,
        index: logSize + committed.length,
        height: b.height,
        committedAt: b.timestamp,
        entry,
      });
    }
    const rc = boundaryIn(epoch, committed.slice(start));
    if (rc !== undefined) {
      const next = makeEpoch(rc.epoch, validatorsOf(rc), self, b.height, b.hash);
      return { blocks: chain.slice(0, i + 1), committed, next };
    }
  }
  return { blocks: [...chain], committed };
}
