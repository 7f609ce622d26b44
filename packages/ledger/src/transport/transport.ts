/**
 * How replicas reach each other. A transport delivers opaque frames between replica ids; it need not be
 * reliable or ordered (consensus tolerates loss, duplication and reordering), and frames it delivers are
 * untrusted input — the replica authenticates every message by its signatures.
 */
export interface Transport {
  /** This replica's id. */
  readonly localId: string;
  /**
   * Sends a frame to a peer; never throws for an unreachable peer (the frame is simply lost).
   *
   * @param peer - the destination replica id
   * @param frame - the payload
   */
  send(peer: string, frame: Uint8Array): void;
  /**
   * Sets the receiver of incoming frames (one receiver per transport).
   *
   * @param handler - called with the sender's id and the payload
   */
  onMessage(handler: (peer: string, frame: Uint8Array) => void): void;
  /** Stops sending and receiving and releases sockets or timers. */
  close(): Promise<void>;
}
