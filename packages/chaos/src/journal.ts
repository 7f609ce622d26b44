/**
 * The journal: everything an engine decided, in order, as JSON. It is both the record of a run (the
 * Markdown report is rendered from it) and the input of {@link ChaosEngine.replay}.
 *
 * @module
 */
import { chaosErrors } from './errors.js';

/** One fault decision that fired: the `call`-th call of `target` was changed by fault `fault`. */
export interface DecisionRecord {
  /** The target's name. */
  readonly target: string;
  /** The index of the call (connection, request, fs operation) in the target's own sequence. */
  readonly call: number;
  /** The fault's id. */
  readonly fault: string;
  /** The fault's kind. */
  readonly kind: string;
  /** A drawn value, when the fault draws one (a latency in ms). */
  readonly value?: number;
}

/** One event on the engine's timeline. */
export interface JournalEvent {
  /** Position in the timeline. */
  readonly seq: number;
  /** Milliseconds since the engine started, on the engine's clock (virtual under a deterministic governor). */
  readonly atMs: number;
  /** What happened. */
  readonly type:
    | 'inject'
    | 'revert'
    | 'refused'
    | 'halt'
    | 'kill'
    | 'experiment'
    | 'probe'
    | 'action'
    | 'rollback';
  /** The fault concerned, if any. */
  readonly fault?: string;
  /** The fault's kind, on `inject`. */
  readonly kind?: string;
  /** The chosen targets, on `inject`. */
  readonly targets?: readonly string[];
  /** Free-form JSON facts: the spec, the reason, the probe's value. */
  readonly detail?: { readonly [key: string]: unknown };
}

/** The JSON journal of an engine. */
export interface Journal {
  /** Always `msys-chaos-journal`. */
  readonly format: 'msys-chaos-journal';
  /** The journal format version. */
  readonly version: 1;
  /** The seed of the run (generated and recorded when none was given). */
  readonly seed: string;
  /** The timeline. */
  readonly events: readonly JournalEvent[];
  /** Every decision that fired, in order. */
  readonly decisions: readonly DecisionRecord[];
  /** Calls seen per target (including those no fault changed). */
  readonly calls: { readonly [target: string]: number };
  /** Events and decisions not kept because the journal reached `journalLimit` (a replay is then partial). */
  readonly dropped?: { readonly events: number; readonly decisions: number };
}

/**
 * Checks that a value is a journal this version can replay.
 *
 * @param value - a parsed journal (or its JSON text)
 * @returns the journal
 * @throws SystemError `MSYS_CHAOS_INVALID_JOURNAL`
 */
export function parseJournal(value: unknown): Journal {
  let j = value;
  if (typeof j === 'string') {
    try {
      j = JSON.parse(j);
    } catch {
      throw chaosErrors.MSYS_CHAOS_INVALID_JOURNAL({
        path: '(text)',
        expected: 'JSON',
        received: 'invalid JSON',
      });
    }
  }
  const bad = (path: string, expected: string, received: unknown) =>
    chaosErrors.MSYS_CHAOS_INVALID_JOURNAL({
      path,
      expected,
      received: JSON.stringify(received) ?? 'undefined',
    });
  if (typeof j !== 'object' || j === null) throw bad('(root)', 'an object', j);
  const o = j as Record<string, unknown>;
  if (o.format !== 'msys-chaos-journal') throw bad('format', '"msys-chaos-journal"', o.format);
  if (o.version !== 1) throw bad('version', '1', o.version);
  if (typeof o.seed !== 'string') throw bad('seed', 'a string', o.seed);
  if (!Array.isArray(o.events)) throw bad('events', 'an array', o.events);
  if (!Array.isArray(o.decisions)) throw bad('decisions', 'an array', o.decisions);
  o.decisions.forEach((d: unknown, i) => {
    const r = d as Record<string, unknown> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.target !== 'string' ||
      !Number.isInteger(r.call) ||
      typeof r.fault !== 'string' ||
      typeof r.kind !== 'string' ||
      (r.value !== undefined && typeof r.value !== 'number')
    ) {
      throw bad(`decisions[${i}]`, '{ target, call, fault, kind, value? }', d);
    }
  });
  if (typeof o.calls !== 'object' || o.calls === null) throw bad('calls', 'an object', o.calls);
  return o as unknown as Journal;
}

function cell(v: unknown): string {
  return String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Renders a journal as Markdown: the timeline, the faults, the affected calls per target, probe results
 * and, for experiments, the verdict.
 *
 * @param journal - the journal
 * @param title - the report's heading
 * @returns Markdown text
 */
export function renderReport(journal: Journal, title = 'Chaos report'): string {
  const lines: string[] = [`# ${title}`, '', `Seed: \`${journal.seed}\``, ''];
  const verdict = journal.events.findLast((e) => e.type === 'experiment' && e.detail?.verdict !== undefined);
  if (verdict) lines.push(`**Verdict: ${String(verdict.detail?.verdict)}**`, '');
  const injects = journal.events.filter((e) => e.type === 'inject');
  lines.push(
    '## Faults',
    '',
    '| fault | kind | targets | injected at (ms) | ended at (ms) | ended by | fired |',
  );
  lines.push('|---|---|---|---|---|---|---|');
  for (const e of injects) {
    const end = journal.events.find((x) => x.type === 'revert' && x.fault === e.fault);
    const fired = journal.decisions.filter((d) => d.fault === e.fault).length;
    lines.push(
      `| ${cell(e.fault)} | ${cell(e.kind)} | ${cell((e.targets ?? []).join(', '))} | ${e.atMs} | ${end ? end.atMs : '—'} | ${end ? cell(end.detail?.reason) : 'active'} | ${fired} |`,
    );
  }
  lines.push('', '## Affected calls', '', '| target | calls | affected | share |', '|---|---|---|---|');
  for (const [target, calls] of Object.entries(journal.calls)) {
    const affected = new Set(journal.decisions.filter((d) => d.target === target).map((d) => d.call)).size;
    const share = calls === 0 ? '0%' : `${((100 * affected) / calls).toFixed(1)}%`;
    lines.push(`| ${cell(target)} | ${calls} | ${affected} | ${share} |`);
  }
  const probes = journal.events.filter((e) => e.type === 'probe');
  if (probes.length > 0) {
    lines.push(
      '',
      '## Probes',
      '',
      '| at (ms) | phase | probe | value | within tolerance |',
      '|---|---|---|---|---|',
    );
    for (const p of probes) {
      lines.push(
        `| ${p.atMs} | ${cell(p.detail?.phase)} | ${cell(p.detail?.name)} | ${cell(JSON.stringify(p.detail?.value))} | ${p.detail?.ok ? 'yes' : '**no**'} |`,
      );
    }
  }
  lines.push('', '## Timeline', '');
  for (const e of journal.events) {
    const what = [e.type, e.fault, e.kind, e.targets?.join(',')].filter((x) => x !== undefined).join(' ');
    const detail = e.detail === undefined ? '' : ` — ${cell(JSON.stringify(e.detail))}`;
    lines.push(`- ${e.atMs} ms: ${what}${detail}`);
  }
  return `${lines.join('\n')}\n`;
}
