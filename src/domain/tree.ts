/**
 * Materialised paths of ids: "1.15.203" is org 203 under 15 under the root 1. Pure helpers for the
 * rules a tree keeps; the SQL side uses ltree with the same strings.
 */
export const pathOf = (parentPath: string | null, id: number): string =>
  parentPath ? `${parentPath}.${id}` : String(id);

export const idsOf = (path: string): number[] => path.split('.').map(Number);

export const isWithin = (path: string, ancestorPath: string): boolean =>
  path === ancestorPath || path.startsWith(`${ancestorPath}.`);

/** Moving a node under one of its own descendants (or itself) would make a cycle. */
export function moveMakesCycle(nodePath: string, newParentPath: string): boolean {
  return isWithin(newParentPath, nodePath);
}

/** The path a descendant gets when its ancestor moves from oldPrefix to newPrefix. */
export function rebasePath(path: string, oldPrefix: string, newPrefix: string): string {
  if (!isWithin(path, oldPrefix)) throw new Error(`${path} is not under ${oldPrefix}`);
  return newPrefix + path.slice(oldPrefix.length);
}
