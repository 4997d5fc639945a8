import { describe, expect, it } from 'vitest';
import { ROLES } from '../domain/access.ts';
import { loadConfig } from './config.ts';

describe('GONGJIAN_REQUIRE_2FA', () => {
  const policy = (value: string | undefined) => loadConfig({ GONGJIAN_REQUIRE_2FA: value }).require2fa;

  it('keeps 1 meaning county administrators, and unset, empty or 0 meaning nobody', () => {
    expect(policy('1')).toEqual(['county_admin']);
    for (const none of [undefined, '', '0']) expect(policy(none), String(none)).toEqual([]);
  });

  it('takes `all` or a list of role codes', () => {
    expect(policy('all')).toEqual([...ROLES]);
    expect(policy('county_admin, committee_staff')).toEqual(['county_admin', 'committee_staff']);
    expect(policy('auditor')).toEqual(['auditor']);
  });

  it('refuses an unknown role rather than protecting nobody because of a typo', () => {
    expect(() => policy('county_admin,township_staf')).toThrow(/township_staf/);
    expect(() => policy('yes')).toThrow(/GONGJIAN_REQUIRE_2FA/);
  });
});
