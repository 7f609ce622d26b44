import type { Random } from '@msys/core/governor';
import { blockHash, chainId, proposalStatement, signHex } from '../../src/consensus/certificates.js';
import type { LedgerEntry, Transport, Validator } from '../../src/index.js';

/** What a Byzantine replica does to its outgoing traffic. */
export type ByzantineMode = 'equivocate' | 'withhold' | 'forge' | 'replay';

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Wraps the transport of a replica whose key the adversary holds. The replica runs the honest protocol;
 * the wrapper rewrites what leaves it: conflicting proposals to different halves (equivocate), no votes or
 * NEW-VIEWs (withhold), corrupted signatures (forge), or old frames re-sent at random (replay).
 */
export function byzantine(
  inner: Transport,
  mode: ByzantineMode,
  key: { secretKey: Uint8Array },
  validators: readonly Validator[],
  random: Random,
): Transport {
  const chain = chainId(validators);
  const seen: Uint8Array[] = [];
  const peers = validators.map((v) => v.id).filter((id) => id !== inner.localId);
  return {
    localId: inner.localId,
    onMessage: (h) =>
      inner.onMessage((peer, frame) => {
        if (mode === 'replay' && seen.length < 500) seen.push(frame);
        h(peer, frame);
      }),
    close: () => inner.close(),
    send: (peer, frame) => {
      const m = JSON.parse(dec.decode(frame)) as { t: string; [k: string]: unknown };
      if (mode === 'withhold' && (m.t === 'vote' || m.t === 'newview')) return;
      if (mode === 'forge') {
        const s = JSON.stringify(m).replace(
          /"signature":"([0-9a-f])/g,
          (_x, c: string) => `"signature":"${c === '0' ? '1' : '0'}`,
        );
        return inner.send(peer, enc.encode(s));
      }
      if (mode === 'equivocate' && m.t === 'proposal' && peers.indexOf(peer) % 2 === 1) {
        const block = m.block as Parameters<typeof blockHash>[0] & { hash: string; timestamp: number };
        const { hash: _h, ...rest } = block;
        const twin = { ...rest, timestamp: block.timestamp + 1 };
        // On the wire each entry is a string of its canonical JSON; the hash covers the entries' ids.
        const wire = block.entries as unknown as readonly string[];
        const hash = blockHash({ ...twin, entries: wire.map((e) => JSON.parse(e) as LedgerEntry) });
        const signature = signHex(proposalStatement(chain, twin.view, hash), key.secretKey);
        return inner.send(
          peer,
          enc.encode(JSON.stringify({ t: 'proposal', block: { ...twin, hash }, signature })),
        );
      }
      if (mode === 'replay') {
        seen.push(frame);
        const old = seen[random.int(0, seen.length - 1)];
        if (old !== undefined) inner.send(peers[random.int(0, peers.length - 1)] as string, old);
      }
      inner.send(peer, frame);
    },
  };
}
