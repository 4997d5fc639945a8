import { describe, expect, it } from 'vitest';
import { LEAKS } from '../../../test/global-setup.ts';
import { buildNoticeBody, maskText } from './masking.ts';
import { cleanText } from './schemas.ts';

describe('masking a notice for the public', () => {
  it('masks ID numbers, mobiles in any common spelling, and long digit runs', () => {
    expect(maskText('身份证11010519491231002X。')).toBe('身份证110105********002X。');
    expect(maskText('身份证11010519491231002x')).toBe('身份证110105********002x');
    expect(maskText('电话13912345678，或139-1234-5678，或139 1234 5678')).toBe(
      '电话139****5678，或139****5678，或139****5678',
    );
    expect(maskText('全角１３９１２３４５６７８')).toBe('全角１３９****５６７８');
    expect(maskText('卡号6222021234567890123')).toBe('卡号***************0123');
    // Ordinary figures stay.
    expect(maskText('投入资金120000元，修路3.5公里，座机0731-1234567')).toBe(
      '投入资金120000元，修路3.5公里，座机0731-1234567',
    );
  });

  it('reduces the given names to surname + 某, longest first', () => {
    expect(maskText('看望王大明和王大，慰问欧阳小红', ['王大', '王大明', '欧阳小红', '李'])).toBe(
      '看望王某和王某，慰问欧某',
    );
  });

  it('builds a body with nothing the leak check would find', () => {
    const body = buildNoticeBody(
      {
        kind: 'member_assist',
        kindLabel: '党员联帮',
        planName: '党员帮扶方案',
        year: 2026,
        title: '帮扶王大明',
        content: '王大明，11010519491231002X，13912345678',
        tasks: [{ seq: 1, what: '走访王大明', target: '13912345678', dueOn: null }],
        helper: '李建国',
        helped: '王大明',
        place: '东山村党支部',
        startsOn: '2026-03-02',
        endsOn: '2026-03-06',
      },
      [],
    );
    const json = JSON.stringify(body);
    for (const [what, re] of LEAKS) expect(re.test(json), what).toBe(false);
    expect(json).not.toContain('王大明');
    expect(body).toMatchObject({ helper: '李建国', helped: '王某', title: '帮扶王某' });
  });

  it('keeps feedback as plain text without control characters', () => {
    expect(cleanText('a\r\nb\u0000c\td\u001b')).toBe('a\nbc\td');
  });
});
