import { createHash } from 'node:crypto';
import { errors } from '../errors.js';
import { TpmReader } from '../tpm/marshal.js';
import { extend, type ReplayedPcrs } from './replay.js';

/** One entry of the IMA measurement list. */
export interface ImaEntry {
  /** The PCR the entry was extended into (10 by default). */
  readonly pcr: number;
  /** The SHA-1 template hash recorded in the log (all zeros for a violation). */
  readonly templateHash: Uint8Array;
  /** The template name: `ima-ng`, `ima-sig` or `ima`. */
  readonly templateName: string;
  /** The template data as the kernel hashes it (empty for the legacy `ima` template). */
  readonly templateData: Uint8Array;
  /** The measured file's digest algorithm, e.g. `sha256`. */
  readonly fileDigestAlgorithm: string;
  /** The measured file's digest. */
  readonly fileDigest: Uint8Array;
  /** The file path hint. */
  readonly path: string;
  /** The file signature (ima-sig), when present. */
  readonly signature?: Uint8Array;
  /** A violation: the file changed while open; it extends 0xff… (Linux `ima_add_violation`). */
  readonly violation: boolean;
}

/** A parsed IMA measurement list. */
export interface ImaLog {
  /** The entries in order. */
  readonly entries: readonly ImaEntry[];
  /** Tolerated irregularities: template hashes that do not match their data, for instance. */
  readonly warnings: readonly { readonly entry: number; readonly message: string }[];
}

const enc = new TextEncoder();
const MAX_FIELD = 64 * 1024;

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function field(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  out.set(u32le(bytes.length));
  out.set(bytes, 4);
  return out;
}

/** The ima-ng `d-ng` field: "<alg>:\0" ‖ digest (Linux ima_eventdigest_ng_init). */
function digestNg(alg: string, digest: Uint8Array): Uint8Array {
  const prefix = enc.encode(`${alg}:\0`);
  const out = new Uint8Array(prefix.length + digest.length);
  out.set(prefix);
  out.set(digest, prefix.length);
  return out;
}

function buildTemplateData(
  name: string,
  alg: string,
  digest: Uint8Array,
  path: string,
  sig?: Uint8Array,
): Uint8Array {
  const parts = [field(digestNg(alg, digest)), field(enc.encode(`${path}\0`))];
  if (name === 'ima-sig') parts.push(field(sig ?? new Uint8Array()));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function decodeTemplateData(
  name: string,
  data: Uint8Array,
): Pick<ImaEntry, 'fileDigestAlgorithm' | 'fileDigest' | 'path' | 'signature'> {
  const r = new TpmReader(data, `IMA ${name} template data`);
  const readField = (): Uint8Array => {
    const n = r.u32(true);
    if (n > MAX_FIELD) throw r.malformed(`field of ${n} bytes`);
    return r.take(n);
  };
  const d = readField();
  const colon = d.indexOf(0x3a);
  if (colon < 0 || d[colon + 1] !== 0) throw r.malformed('d-ng field lacks its "<alg>:\\0" prefix');
  const fileDigestAlgorithm = Buffer.from(d.subarray(0, colon)).toString('latin1');
  const fileDigest = d.slice(colon + 2);
  const n = readField();
  const path = Buffer.from(n.subarray(0, n.at(-1) === 0 ? n.length - 1 : n.length)).toString('utf8');
  let signature: Uint8Array | undefined;
  if (name === 'ima-sig' && r.remaining > 0) signature = readField();
  return {
    fileDigestAlgorithm,
    fileDigest,
    path,
    ...(signature === undefined || signature.length === 0 ? {} : { signature }),
  };
}

function checkHash(entry: ImaEntry, index: number, warnings: { entry: number; message: string }[]): void {
  if (entry.violation || entry.templateName === 'ima') return;
  const h = createHash('sha1').update(entry.templateData).digest();
  if (!h.equals(entry.templateHash)) {
    warnings.push({
      entry: index,
      message: `entry ${index} (${entry.path}): the template hash does not match its data`,
    });
  }
}

/**
 * Parses an IMA measurement list, either the ASCII form (`ascii_runtime_measurements`: one
 * `PCR template-hash template-name alg:filedigest path [sig]` line per entry) or the binary form
 * (`binary_runtime_measurements`, little-endian). Templates `ima-ng` and `ima-sig` are fully decoded; the legacy
 * `ima` template (ASCII only) is kept for SHA-1 replay.
 *
 * @param input - the ASCII text or the binary bytes
 * @returns the entries and warnings (template hashes that do not match their data)
 * @throws SystemError `MSYS_ATTESTATION_MALFORMED` / `MSYS_ATTESTATION_TRUNCATED` for an unparseable list
 */
export function parseImaLog(input: string | Uint8Array): ImaLog {
  if (typeof input === 'string') return parseAscii(input);
  if (!(input instanceof Uint8Array)) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'input',
      expected: 'a string or Uint8Array',
      received: typeof input,
    });
  }
  return parseBinary(input);
}

function parseAscii(text: string): ImaLog {
  const entries: ImaEntry[] = [];
  const warnings: { entry: number; message: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const parts = line.split(' ');
    const [pcrS, hashHex, templateName, digestField, ...rest] = parts;
    const bad = (why: string): Error =>
      errors.MSYS_ATTESTATION_MALFORMED({ structure: 'IMA ASCII log', reason: `line ${i + 1}: ${why}` });
    if (
      pcrS === undefined ||
      hashHex === undefined ||
      templateName === undefined ||
      digestField === undefined
    ) {
      throw bad('expected at least 5 fields');
    }
    if (!/^\d+$/.test(pcrS) || !/^[0-9a-f]{40}$/i.test(hashHex)) throw bad('bad PCR or template hash');
    let sigHex: string | undefined;
    if (templateName === 'ima-sig' && rest.length > 1 && /^[0-9a-f]+$/i.test(rest.at(-1) ?? ''))
      sigHex = rest.pop();
    const path = rest.join(' ');
    let alg = 'sha1';
    let digHex = digestField;
    if (templateName !== 'ima') {
      const c = digestField.indexOf(':');
      if (c < 0) throw bad('file digest lacks "<alg>:"');
      alg = digestField.slice(0, c);
      digHex = digestField.slice(c + 1);
    }
    if (!/^[0-9a-f]*$/i.test(digHex) || digHex.length % 2 !== 0) throw bad('bad file digest');
    if (templateName !== 'ima' && templateName !== 'ima-ng' && templateName !== 'ima-sig') {
      throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
        structure: 'IMA log',
        algorithm: `template ${templateName}`,
      });
    }
    const fileDigest = new Uint8Array(Buffer.from(digHex, 'hex'));
    const signature = sigHex === undefined ? undefined : new Uint8Array(Buffer.from(sigHex, 'hex'));
    const templateHash = new Uint8Array(Buffer.from(hashHex, 'hex'));
    const entry: ImaEntry = {
      pcr: Number(pcrS),
      templateHash,
      templateName,
      templateData:
        templateName === 'ima'
          ? new Uint8Array()
          : buildTemplateData(templateName, alg, fileDigest, path, signature),
      fileDigestAlgorithm: alg,
      fileDigest,
      path,
      ...(signature === undefined ? {} : { signature }),
      violation: templateHash.every((b) => b === 0),
    };
    checkHash(entry, entries.length, warnings);
    entries.push(entry);
  }
  return { entries, warnings };
}

function parseBinary(bytes: Uint8Array): ImaLog {
  const r = new TpmReader(bytes, 'IMA binary log');
  const entries: ImaEntry[] = [];
  const warnings: { entry: number; message: string }[] = [];
  while (r.remaining > 0) {
    const pcr = r.u32(true);
    const templateHash = r.take(20);
    const nameLen = r.u32(true);
    if (nameLen > 255) throw r.malformed(`template name of ${nameLen} bytes`);
    const templateName = Buffer.from(r.take(nameLen)).toString('latin1');
    if (templateName !== 'ima-ng' && templateName !== 'ima-sig') {
      throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
        structure: 'IMA binary log',
        algorithm: `template ${templateName}`,
      });
    }
    const dataLen = r.u32(true);
    if (dataLen > MAX_FIELD * 4) throw r.malformed(`template data of ${dataLen} bytes`);
    const templateData = r.take(dataLen);
    const entry: ImaEntry = {
      pcr,
      templateHash,
      templateName,
      templateData,
      ...decodeTemplateData(templateName, templateData),
      violation: templateHash.every((b) => b === 0),
    };
    checkHash(entry, entries.length, warnings);
    entries.push(entry);
  }
  return { entries, warnings };
}

/**
 * Serializes entries to the binary measurement-list format (the kernel's `binary_runtime_measurements`).
 *
 * @param entries - `ima-ng` / `ima-sig` entries
 * @returns the binary list
 */
export function encodeImaBinaryLog(entries: readonly ImaEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const name = enc.encode(e.templateName);
    parts.push(
      u32le(e.pcr),
      e.templateHash,
      u32le(name.length),
      name,
      u32le(e.templateData.length),
      e.templateData,
    );
  }
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Builds an `ima-ng` (or `ima-sig`) entry the way the kernel does, with its SHA-1 template hash.
 *
 * @param path - the file path
 * @param fileDigest - the file's digest
 * @param options - digest algorithm (default `sha256`), PCR (default 10), template, signature
 * @returns the entry
 */
export function createImaEntry(
  path: string,
  fileDigest: Uint8Array,
  options: {
    readonly algorithm?: string;
    readonly pcr?: number;
    readonly template?: 'ima-ng' | 'ima-sig';
    readonly signature?: Uint8Array;
  } = {},
): ImaEntry {
  const alg = options.algorithm ?? 'sha256';
  const name = options.template ?? 'ima-ng';
  const templateData = buildTemplateData(name, alg, fileDigest, path, options.signature);
  return {
    pcr: options.pcr ?? 10,
    templateHash: new Uint8Array(createHash('sha1').update(templateData).digest()),
    templateName: name,
    templateData,
    fileDigestAlgorithm: alg,
    fileDigest,
    path,
    ...(options.signature === undefined ? {} : { signature: options.signature }),
    violation: false,
  };
}

/**
 * Replays an IMA log into its PCR (10). The SHA-1 bank extends each entry's template hash recomputed from its
 * data (so a tampered path or digest cannot hide behind a copied hash); other banks extend H_bank(template data),
 * as Linux does for every allocated TPM 2.0 bank. Violations extend all-ones (ima_add_violation).
 *
 * @param log - the result of {@link parseImaLog}
 * @param banks - the banks to compute (default sha1 and sha256)
 * @returns the PCR values per bank
 */
export function replayImaLog(
  log: ImaLog,
  banks: ReadonlyArray<'sha1' | 'sha256' | 'sha384' | 'sha512'> = ['sha1', 'sha256'],
): ReplayedPcrs {
  const out: ReplayedPcrs = {};
  const sizes = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 } as const;
  for (const bank of banks) {
    const values: Record<number, Uint8Array> = {};
    for (const e of log.entries) {
      let digest: Uint8Array;
      if (e.violation) digest = new Uint8Array(sizes[bank]).fill(0xff);
      else if (e.templateName === 'ima') {
        if (bank !== 'sha1') {
          throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
            structure: 'IMA ima template',
            algorithm: `${bank} replay`,
          });
        }
        digest = e.templateHash;
      } else digest = new Uint8Array(createHash(bank).update(e.templateData).digest());
      values[e.pcr] = extend(bank, values[e.pcr] ?? new Uint8Array(sizes[bank]), digest);
    }
    out[bank] = values;
  }
  return out;
}
