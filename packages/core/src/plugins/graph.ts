/**
 * Checks the dependency graph of the plugins an operation is about to bring up, so that a missing
 * dependency, an unsatisfied range, a failed dependency or a cycle is reported before any hook runs.
 *
 * @module
 * @internal
 */
import semver from 'semver';
import type { PluginDependency } from './define.js';
import { pluginErrors } from './errors.js';
import type { PluginState } from './lifecycle.js';

/** What the check needs to know about a registered plugin. @internal */
export interface GraphNode {
  /** The plugin id. */
  readonly id: string;
  /** Its version. */
  readonly version: string;
  /** Its requirements. */
  readonly requires: readonly PluginDependency[];
  /** Its current state. */
  readonly state: PluginState;
}

/**
 * Walks from `roots` through the requirements that are not yet `satisfied` and throws the first problem,
 * by precedence: a missing dependency, then a version mismatch, then a failed dependency, then a cycle.
 * Plugins already satisfied (e.g. running, when starting) are not walked through: what they need they
 * already have.
 *
 * @param roots - the plugins the operation brings up
 * @param lookup - the registered plugin of an id (any state), or undefined
 * @param satisfied - whether a dependency in this state needs no work
 * @throws SystemError `MSYS_PLUGIN_MISSING_DEPENDENCY`, `MSYS_PLUGIN_VERSION_MISMATCH`,
 *   `MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE` or `MSYS_PLUGIN_DEPENDENCY_CYCLE`
 * @internal
 */
export function checkBringUp(
  roots: readonly GraphNode[],
  lookup: (id: string) => GraphNode | undefined,
  satisfied: (state: PluginState) => boolean,
): void {
  const missing: { id: string; dependency: string }[] = [];
  const mismatched: { id: string; dependency: string; range: string; version: string }[] = [];
  const unavailable: { id: string; dependency: string; state: string }[] = [];
  let cycle: string[] | undefined;
  // Depth-first search with the classic three colours (CLRS §22.3): a grey node met again closes a cycle,
  // and the grey path from it to the top of the stack is that cycle.
  const colour = new Map<string, 'grey' | 'black'>();
  const path: string[] = [];
  const visit = (node: GraphNode): void => {
    colour.set(node.id, 'grey');
    path.push(node.id);
    for (const dep of node.requires) {
      const target = lookup(dep.id);
      if (target === undefined || target.state === 'unloaded') {
        missing.push({ id: node.id, dependency: dep.id });
        continue;
      }
      if (dep.range !== undefined && !semver.satisfies(target.version, dep.range)) {
        mismatched.push({ id: node.id, dependency: dep.id, range: dep.range, version: target.version });
      }
      if (satisfied(target.state)) continue;
      if (target.state === 'failed') {
        unavailable.push({ id: node.id, dependency: dep.id, state: target.state });
        continue;
      }
      const seen = colour.get(target.id);
      if (seen === 'grey') {
        cycle ??= [...path.slice(path.indexOf(target.id)), target.id];
      } else if (seen === undefined) {
        visit(target);
      }
    }
    path.pop();
    colour.set(node.id, 'black');
  };
  for (const root of roots) if (!colour.has(root.id)) visit(root);
  const [firstMissing] = missing;
  if (firstMissing !== undefined) throw pluginErrors.MSYS_PLUGIN_MISSING_DEPENDENCY(firstMissing);
  const [firstMismatch] = mismatched;
  if (firstMismatch !== undefined) throw pluginErrors.MSYS_PLUGIN_VERSION_MISMATCH(firstMismatch);
  const [firstUnavailable] = unavailable;
  if (firstUnavailable !== undefined) throw pluginErrors.MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE(firstUnavailable);
  if (cycle !== undefined) throw pluginErrors.MSYS_PLUGIN_DEPENDENCY_CYCLE({ cycle });
}
