import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyRoot,
  hashChildren,
  hashLeaf,
  MerkleLog,
  signTreeHead,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '../src/index.js';
import { vectorsAvailable, vectorsDir } from './support/vectors.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Straight transcription of RFC 9162 §2.1.1 MTH, used as an oracle. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return hashLeaf(leaves[0] as Uint8Array);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function logOf(n: number): { log: MerkleLog; leaves: Uint8Array[] } {
  const log = new MerkleLog();
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const d = new TextEncoder().encode(`leaf-${i}`);
    leaves.push(d);
    log.append(d);
  }
  return { log, leaves };
}

function flip(b: Uint8Array, bit: number): Uint8Array {
  const c = new Uint8Array(b);
  c[(bit >> 3) % c.length] = (c[(bit >> 3) % c.length] as number) ^ (1 << (bit & 7));
  return c;
}

const available = vectorsAvailable('merkle');

describe.skipIf(!available)('RFC 6962/9162 reference tree (transparency-dev/merkle)', () => {
  const file = path.join(vectorsDir, 'merkle', 'rfc6962_reference_tree.json');
  const v = available
    ? (JSON.parse(readFileSync(file, 'utf8')) as { leafInputsHex: string[]; rootHashesBySize: string[] })
    : { leafInputsHex: [], rootHashesBySize: [] };

  it('reproduces the root of every size 0..8', () => {
    const log = new MerkleLog();
    expect(hex(log.root())).toBe(v.rootHashesBySize[0]);
    v.leafInputsHex.forEach((h, i) => {
      log.append(Buffer.from(h, 'hex'));
      expect(hex(log.root())).toBe(v.rootHashesBySize[i + 1]);
    });
    for (let s = 0; s <= v.leafInputsHex.length; s++) expect(hex(log.root(s))).toBe(v.rootHashesBySize[s]);
  });

  it('proves inclusion and consistency against the reference roots', () => {
    const log = new MerkleLog();
    for (const h of v.leafInputsHex) log.append(Buffer.from(h, 'hex'));
    const roots = v.rootHashesBySize.map((r) => new Uint8Array(Buffer.from(r, 'hex')));
    for (let size = 1; size <= 8; size++) {
      for (let i = 0; i < size; i++) {
        const leafHash = hashLeaf(Buffer.from(v.leafInputsHex[i] as string, 'hex'));
        const proof = log.proveInclusion(i, size);
        expect(
          verifyInclusion({ leafIndex: i, treeSize: size, leafHash, proof, root: roots[size] as Uint8Array }),
        ).toBe(true);
      }
      for (let old = 0; old <= size; old++) {
        const proof = log.proveConsistency(old, size);
        const c = {
          size1: old,
          size2: size,
          proof,
          root1: roots[old] as Uint8Array,
          root2: roots[size] as Uint8Array,
        };
        expect(verifyConsistency(c)).toBe(true);
      }
    }
  });

  it('produces the RFC 9162 §2.1.5 example proofs for the 7-leaf tree', () => {
    const log = new MerkleLog();
    for (const h of v.leafInputsHex.slice(0, 7)) log.append(Buffer.from(h, 'hex'));
    const d = v.leafInputsHex.map((h) => hashLeaf(Buffer.from(h, 'hex')));
    const [a, b, c, dd, e, f] = d as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const g = hashChildren(a, b);
    const h = hashChildren(c, dd);
    const i = hashChildren(e, f);
    const k = hashChildren(g, h);
    // inclusion proof of d0 is [b, h, l] where l = hash(i, leaf6); of d3 is [c, g, l]
    const l = hashChildren(i, d[6] as Uint8Array);
    expect(log.proveInclusion(0, 7).map(hex)).toEqual([b, h, l].map(hex));
    expect(log.proveInclusion(3, 7).map(hex)).toEqual([c, g, l].map(hex));
    expect(log.proveInclusion(4, 7).map(hex)).toEqual(
      [f, hex(d[6] as Uint8Array), k].map((x) => (typeof x === 'string' ? x : hex(x))),
    );
    // consistency proof between 4 and 7 is [l]; between 3 and 7 is [c, d, g, l]
    expect(log.proveConsistency(4, 7).map(hex)).toEqual([l].map(hex));
    expect(log.proveConsistency(3, 7).map(hex)).toEqual([c, dd, g, l].map(hex));
  });
});

describe('MerkleLog against the MTH oracle', () => {
  it('root(size) equals MTH for every prefix up to 70 leaves', () => {
    const { log, leaves } = logOf(70);
    for (let s = 0; s <= 70; s++) expect(hex(log.root(s))).toBe(hex(mth(leaves.slice(0, s))));
  });

  it('every inclusion proof it produces verifies, and a flipped bit or wrong position fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        (size, ri, rt, bit) => {
          const { log } = logOf(size);
          const i = ri % size;
          const treeSize = i + 1 + (rt % (size - i));
          const proof = log.proveInclusion(i, treeSize);
          const root = log.root(treeSize);
          const leafHash = log.leafHash(i);
          expect(verifyInclusion({ leafIndex: i, treeSize, leafHash, proof, root })).toBe(true);
          expect(
            verifyInclusion({ leafIndex: BigInt(i), treeSize: BigInt(treeSize), leafHash, proof, root }),
          ).toBe(true);
          expect(
            verifyInclusion({ leafIndex: i, treeSize, leafHash: flip(leafHash, bit), proof, root }),
          ).toBe(false);
          expect(verifyInclusion({ leafIndex: i, treeSize, leafHash, proof, root: flip(root, bit) })).toBe(
            false,
          );
          if (proof.length > 0) {
            const j = bit % proof.length;
            const bad = proof.map((p, k) => (k === j ? flip(p, bit) : p));
            expect(verifyInclusion({ leafIndex: i, treeSize, leafHash, proof: bad, root })).toBe(false);
            expect(verifyInclusion({ leafIndex: i, treeSize, leafHash, proof: proof.slice(1), root })).toBe(
              false,
            );
          }
          if (treeSize > 1) {
            const other = (i + 1) % treeSize;
            expect(verifyInclusion({ leafIndex: other, treeSize, leafHash, proof, root })).toBe(false);
          }
          expect(verifyInclusion({ leafIndex: treeSize, treeSize, leafHash, proof, root })).toBe(false);
          // A size whose audit path has another length cannot accept this proof.
          const longer = treeSize * 2 + 1;
          if (longer <= size && log.proveInclusion(i, longer).length !== proof.length) {
            expect(verifyInclusion({ leafIndex: i, treeSize: longer, leafHash, proof, root })).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every consistency proof it produces verifies, and a flipped bit or wrong size fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        (size, ra, rb, bit) => {
          const { log } = logOf(size);
          const size2 = 1 + (ra % size);
          const size1 = rb % (size2 + 1);
          const proof = log.proveConsistency(size1, size2);
          const root1 = log.root(size1);
          const root2 = log.root(size2);
          expect(verifyConsistency({ size1, size2, proof, root1, root2 })).toBe(true);
          expect(verifyConsistency({ size1: BigInt(size1), size2: BigInt(size2), proof, root1, root2 })).toBe(
            true,
          );
          // With size1 = 0 there is nothing to tie root2 to (RFC 9162 §2.1.4): only root1 is checked.
          if (size1 > 0)
            expect(verifyConsistency({ size1, size2, proof, root1, root2: flip(root2, bit) })).toBe(false);
          expect(verifyConsistency({ size1, size2, proof, root1: flip(root1, bit), root2 })).toBe(false);
          if (proof.length > 0) {
            const j = bit % proof.length;
            const bad = proof.map((p, k) => (k === j ? flip(p, bit) : p));
            expect(verifyConsistency({ size1, size2, proof: bad, root1, root2 })).toBe(false);
            // Another size pair whose proof has another shape cannot accept this proof (sizes of the same shape
            // are told apart by the signed tree head that binds size and root together).
            if (size1 + 1 <= size2 && log.proveConsistency(size1 + 1, size2).length !== proof.length) {
              expect(verifyConsistency({ size1: size1 + 1, size2, proof, root1, root2 })).toBe(false);
            }
            if (size2 + 1 <= size && log.proveConsistency(size1, size2 + 1).length !== proof.length) {
              expect(verifyConsistency({ size1, size2: size2 + 1, proof, root1, root2 })).toBe(false);
            }
            expect(verifyConsistency({ size1: size2 + 1, size2, proof, root1, root2 })).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects out-of-range proof requests with a stable code', () => {
    const { log } = logOf(5);
    expect(() => log.proveInclusion(5, 5)).toThrow(
      expect.objectContaining({ code: 'MSYS_LEDGER_OUT_OF_RANGE' }),
    );
    expect(() => log.proveConsistency(3, 6)).toThrow(
      expect.objectContaining({ code: 'MSYS_LEDGER_OUT_OF_RANGE' }),
    );
    expect(() => log.root(9)).toThrow(expect.objectContaining({ code: 'MSYS_LEDGER_OUT_OF_RANGE' }));
  });
});

describe('verifiers on hostile input', () => {
  const anyValue = fc.oneof(
    fc.anything(),
    fc.uint8Array({ minLength: 0, maxLength: 40 }),
    fc.bigInt(),
    fc.integer(),
    fc.double(),
    fc.array(fc.uint8Array({ minLength: 30, maxLength: 33 }), { maxLength: 70 }),
  );
  it('never throw and never accept random input', () => {
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, anyValue, anyValue, (a, b, c, d, e) => {
        const inc = verifyInclusion({ leafIndex: a, treeSize: b, leafHash: c, proof: d, root: e } as never);
        const con = verifyConsistency({ size1: a, size2: b, proof: d, root1: c, root2: e } as never);
        expect(typeof inc).toBe('boolean');
        expect(typeof con).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    expect(verifyInclusion(null as never)).toBe(false);
    expect(verifyConsistency(undefined as never)).toBe(false);
  });

  it('random 32-byte hashes and paths are rejected', () => {
    const h = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.nat(1000),
        h,
        fc.array(h, { maxLength: 12 }),
        h,
        (i, s, leaf, proof, root) => {
          expect(verifyInclusion({ leafIndex: i, treeSize: s, leafHash: leaf, proof, root })).toBe(false);
        },
      ),
    );
  });
});

describe('signed tree heads', () => {
  it('verify, and fail after any change', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32));
    const pub = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
    const { log } = logOf(10);
    const sth = signTreeHead(
      { treeSize: 10, rootHash: log.root(), timestamp: 1_700_000_000_000 },
      {
        publicKey: pub,
        secretKey: seed,
      },
    );
    expect(verifyTreeHead(sth)).toBe(true);
    expect(verifyTreeHead({ ...sth, treeSize: 11 })).toBe(false);
    expect(verifyTreeHead({ ...sth, timestamp: 1 })).toBe(false);
    expect(verifyTreeHead({ ...sth, rootHash: flip(sth.rootHash, 3) })).toBe(false);
    expect(verifyTreeHead({ ...sth, signature: flip(sth.signature, 9) })).toBe(false);
    expect(verifyTreeHead({ ...sth, signer: new Uint8Array(5) })).toBe(false);
  });
});
