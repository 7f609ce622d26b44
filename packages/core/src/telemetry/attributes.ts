/**
 * The `msys.*` span and metric attribute names. One table, so that every package labels the same fact
 * with the same key and dashboards can join across packages. Names follow the OpenTelemetry attribute
 * naming rules (lower case, dot-separated namespaces; see the OTel "Attribute Naming" specification).
 */
export const ATTR = Object.freeze({
  /** `msys.package`: the `@msys` package doing the work, e.g. `@msys/ledger`. */
  package: 'msys.package',
  /** `msys.operation`: the public operation, e.g. `ledger.append` or `compiler.compile`. */
  operation: 'msys.operation',
  /** `msys.target`: what the operation acts on (a key, a peer address, a file path, a plugin id). */
  target: 'msys.target',
  /** `msys.error.code`: the stable `MSYS_*` code of a {@link SystemError} that ended the operation. */
  errorCode: 'msys.error.code',
  /** `msys.error.category`: the category of that error (`network`, `validation`, …). */
  errorCategory: 'msys.error.category',
  /** `msys.plugin.id`: the id of the plugin involved. */
  pluginId: 'msys.plugin.id',
  /** `msys.plugin.kind`: the kind of the plugin involved. */
  pluginKind: 'msys.plugin.kind',
  /** `msys.peer`: the id of a remote peer or replica. */
  peer: 'msys.peer',
  /** `msys.attempt`: the 1-based attempt number of a retried operation. */
  attempt: 'msys.attempt',
  /** `msys.batch.size`: the number of items processed in one batch. */
  batchSize: 'msys.batch.size',
  /** `msys.bytes`: a byte count moved or processed by the operation. */
  bytes: 'msys.bytes',
  /** `msys.outcome`: a short outcome label for metrics (`ok`, `error`, `timeout`, `rejected`). */
  outcome: 'msys.outcome',
  /** `msys.deterministic`: true when the work ran under a deterministic (seeded) governor. */
  deterministic: 'msys.deterministic',
} as const);

/** Any of the `msys.*` attribute names in {@link ATTR}. */
export type MsysAttributeName = (typeof ATTR)[keyof typeof ATTR];
