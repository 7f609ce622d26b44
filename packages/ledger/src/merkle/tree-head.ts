import { ed25519Sign, ed25519Verify } from '../crypto/ed25519.js';
import { HASH_SIZE } from './hash.js';

/** A signed tree head: one replica's signed statement of the log's size and root at a time. */
export interface SignedTreeHead {
  /** The number of leaves. */
  readonly treeSize: number;
  /** The Merkle Tree Hash of those leaves (32 bytes). */
  readonly rootHash: Uint8Array;
  /** Milliseconds since the Unix epoch when the head was signed. */
  readonly timestamp: number;
  /** The signer's Ed25519 public key (32 bytes). */
  readonly signer: Uint8Array;
  /** Ed25519 signature (64 bytes) over {@link encodeTreeHead}. */
  readonly signature: Uint8Array;
}

const TREE_HEAD_TAG = new TextEncoder().encode('msys-ledger/tree-head/v1\0');

/**
 * The canonical bytes a tree head signature covers: a domain-separation tag, the size and timestamp as
 * big-endian uint64, then the root — fixed layout, so no two heads share an encoding (cf. RFC 9162 §4.10).
 *
 * @param treeSize - number of leaves
 * @param timestamp - epoch milliseconds
 * @param rootHash - the 32-byte root
 * @returns the bytes to sign
 */
export function encodeTreeHead(treeSize: number, timestamp: number, rootHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(TREE_HEAD_TAG.length + 16 + HASH_SIZE);
  out.set(TREE_HEAD_TAG, 0);
  const view = new DataView(out.buffer);
  view.setBigUint64(TREE_HEAD_TAG.length, BigInt(treeSize));
  view.setBigUint64(TREE_HEAD_TAG.length + 8, BigInt(timestamp));
  out.set(rootHash, TREE_HEAD_TAG.length + 16);
  return out;
}

/**
 * Signs a tree head with an Ed25519 key pair.
 *
 * @param head - size, root and timestamp
 * @param keyPair - the signer's keys (32-byte seed as `secretKey`)
 * @returns the signed tree head
 */
export function signTreeHead(
  head: { readonly treeSize: number; readonly rootHash: Uint8Array; readonly timestamp: number },
  keyPair: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array },
): SignedTreeHead {
  const signature = ed25519Sign(
    encodeTreeHead(head.treeSize, head.timestamp, head.rootHash),
    keyPair.secretKey,
  );
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    signer: keyPair.publicKey,
    signature,
  };
}

/**
 * Verifies a signed tree head against the signer key it claims (check that key against your validator list).
 *
 * @param head - the signed tree head
 * @returns true when well formed and correctly signed; false otherwise (never throws)
 */
export function verifyTreeHead(head: SignedTreeHead): boolean {
  try {
    if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) return false;
    if (!Number.isSafeInteger(head.timestamp) || head.timestamp < 0) return false;
    if (!(head.rootHash instanceof Uint8Array) || head.rootHash.length !== HASH_SIZE) return false;
    return ed25519Verify(
      head.signature,
      encodeTreeHead(head.treeSize, head.timestamp, head.rootHash),
      head.signer,
    );
  } catch {
    return false;
  }
}
