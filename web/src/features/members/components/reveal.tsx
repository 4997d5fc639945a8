import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Tooltip } from 'antd';
import { useCallback, useState } from 'react';
import { isApiError } from '../../../lib/api';
import { useCan } from '../../../lib/auth';
import { useI18n } from '../../../lib/i18n';
import { type Unmasked, useUnmaskMember } from '../api/unmask-member';

/**
 * The audited "show": full ID number and phone for the rows a user asked for, one row at a time,
 * kept only while the screen is open.
 */
export function useReveal() {
  const can = useCan();
  const { message } = App.useApp();
  const { lang } = useI18n();
  const unmask = useUnmaskMember();
  const [shown, setShown] = useState<ReadonlyMap<number, Unmasked>>(new Map());
  const [pending, setPending] = useState<number>();

  const reveal = useCallback(
    async (id: number) => {
      setPending(id);
      try {
        const u = await unmask.mutateAsync(id);
        setShown((prev) => new Map(prev).set(id, u));
      } catch (e) {
        message.error(isApiError(e) ? e.text(lang) : String(e));
      } finally {
        setPending(undefined);
      }
    },
    [unmask, message, lang],
  );
  const hide = useCallback((id: number) => {
    setShown((prev) => {
      const next = new Map(prev);
      next.delete(id);
      return next;
    });
  }, []);
  return { allowed: can('member.unmask'), shown, pending, reveal, hide };
}

export type Reveal = ReturnType<typeof useReveal>;

export function RevealButton({ reveal, id, name }: { reveal: Reveal; id: number; name: string }) {
  const { t } = useI18n();
  if (!reveal.allowed) return null;
  const open = reveal.shown.has(id);
  return (
    <Tooltip
      title={open ? undefined : t('查看完整信息会记入审计日志', 'Viewing is recorded in the audit log')}
    >
      <Button
        size="small"
        type="link"
        icon={open ? <EyeInvisibleOutlined /> : <EyeOutlined />}
        loading={reveal.pending === id}
        onClick={() => (open ? reveal.hide(id) : void reveal.reveal(id))}
        aria-label={
          open
            ? t(`隐藏${name}的身份证号和电话`, `Hide ${name}'s ID number and phone`)
            : t(`显示${name}的完整身份证号和电话`, `Show ${name}'s full ID number and phone`)
        }
        style={{ paddingInline: 0 }}
      >
        {open ? t('隐藏', 'Hide') : t('显示', 'Show')}
      </Button>
    </Tooltip>
  );
}
