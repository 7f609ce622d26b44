export { emptyRoot, HASH_SIZE, hashChildren, hashLeaf } from './hash.js';
export { MerkleLog } from './log.js';
export { encodeTreeHead, type SignedTreeHead, signTreeHead, verifyTreeHead } from './tree-head.js';
export { type ConsistencyCheck, type InclusionCheck, verifyConsistency, verifyInclusion } from './verify.js';
