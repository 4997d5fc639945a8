import { describe, expect, it } from 'vitest';
import { checkMove } from './orgs.ts';
import { isWithin, moveMakesCycle, pathOf, rebasePath } from './tree.ts';

describe('organisation paths', () => {
  it('a path is the parent path and the own id', () => {
    expect(pathOf(null, 1)).toBe('1');
    expect(pathOf('1.15', 203)).toBe('1.15.203');
  });

  it('a node is within its own subtree but not within a sibling sharing a prefix', () => {
    expect(isWithin('1.15.203', '1.15')).toBe(true);
    expect(isWithin('1.15', '1.15')).toBe(true);
    expect(isWithin('1.150', '1.15')).toBe(false);
  });

  it('moving a node under its own descendant would make a cycle', () => {
    expect(moveMakesCycle('1.15', '1.15.203')).toBe(true);
    expect(moveMakesCycle('1.15', '1.15')).toBe(true);
    expect(moveMakesCycle('1.15', '1.16')).toBe(false);
  });

  it('a moved subtree keeps its shape under the new parent', () => {
    expect(rebasePath('1.15.203.9', '1.15.203', '1.16.203')).toBe('1.16.203.9');
    expect(() => rebasePath('1.16', '1.15', '1.17')).toThrow();
  });

  it('refuses moves of the root, into a cycle, under a branch, or under a closed org', () => {
    const node = { path: '1.15', parent_id: 1 };
    expect(
      checkMove({ path: '1', parent_id: null }, { path: '1.2', kind: 'party_committee', status: 'active' }),
    ).toBe('root');
    expect(checkMove(node, { path: '1.15.3', kind: 'party_committee', status: 'active' })).toBe('cycle');
    expect(checkMove(node, { path: '1.16', kind: 'branch', status: 'active' })).toBe('parent_cannot_hold');
    expect(checkMove(node, { path: '1.16', kind: 'party_committee', status: 'closed' })).toBe(
      'parent_closed',
    );
    expect(checkMove(node, { path: '1.16', kind: 'working_committee', status: 'active' })).toBeNull();
  });
});
