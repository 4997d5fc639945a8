import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../../lib/api';
import { useI18n } from '../../../lib/i18n';

interface MemberOption {
  id: number;
  name: string;
  orgName: string;
  idNumber: string;
}

/** Links an account to a party member: type a name (or the last digits of the ID number). */
export function MemberPicker({
  value,
  onChange,
  under,
  id,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  under?: number;
  id?: string;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['members', 'pick', q, under],
    queryFn: () => api.get<Page<MemberOption>>('/api/members', { q, under, pageSize: 20, category: 'all' }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
  return (
    <Select<number | null>
      id={id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={t('输入姓名查找（可不填）', 'Type a name to search (optional)')}
      notFoundContent={q ? t('没有找到', 'Nothing found') : null}
      loading={found.isFetching}
      options={(found.data?.items ?? []).map((m) => ({
        value: m.id,
        label: `${m.name}（${m.orgName}，${m.idNumber}）`,
      }))}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'calc(100vw - 24px)' } } }}
    />
  );
}
