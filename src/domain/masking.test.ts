import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskPhone } from './masking.ts';

describe('personal data is masked by default', () => {
  it('an address keeps the place down to the village or community, and hides group, street and house', () => {
    expect(maskAddress('青山县城关镇长寿村3组15号')).toBe('青山县城关镇长寿村****');
    expect(maskAddress('城关镇东街社区幸福路8号2单元301室')).toBe('城关镇东街社区****');
    expect(maskAddress('高桥镇人民路12号')).toBe('高桥镇****');
    expect(maskAddress('长寿村')).toBe('长寿村');
  });

  it('an address with no place name keeps three characters only', () => {
    expect(maskAddress('幸福路8号')).toBe('幸福路****');
    expect(maskAddress('8号')).toBe('8****');
  });

  it('nothing stays nothing', () => {
    expect(maskAddress(null)).toBeNull();
    expect(maskAddress(undefined)).toBeNull();
    expect(maskAddress('')).toBe('');
  });

  it('ID numbers and phones keep their ends only', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
