import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Collapse, Flex, Form, Input, InputNumber, Select } from 'antd';
import { OUTCOME_UNITS, type OutcomeUnit } from '../../../src/domain/pairings.ts';
import { api, type Page } from '../lib/api';
import { useI18n } from '../lib/i18n';

/** What the extras of a visit form hold (all optional): the phone's form and the correction share them. */
export interface VisitExtrasValues {
  problemsFound?: string;
  problemsSolved?: string;
  outcomes?: { unit?: OutcomeUnit; amount?: number | null; note?: string }[];
  participantIds?: number[];
}

/** The extras as the API takes them: blanks left out, outcomes only with a unit and an amount. */
export function extrasBody(v: VisitExtrasValues) {
  const outcomes = (v.outcomes ?? [])
    .filter((o) => o.unit && typeof o.amount === 'number')
    .map((o) => ({ unit: o.unit!, amount: o.amount!, ...(o.note?.trim() ? { note: o.note.trim() } : {}) }));
  return {
    ...(v.problemsFound?.trim() ? { problemsFound: v.problemsFound.trim() } : {}),
    ...(v.problemsSolved?.trim() ? { problemsSolved: v.problemsSolved.trim() } : {}),
    ...(outcomes.length ? { outcomes } : {}),
    ...(v.participantIds?.length ? { participantIds: v.participantIds } : {}),
  };
}

/**
 * 帮扶成效: problems found and solved, and outcomes with their units (funds, person-times, projects …),
 * folded away so the quick visit stays three screens and a minute; they count in the year-end score.
 */
export function VisitExtras({ participantOrgIds = [] }: { participantOrgIds?: number[] }) {
  const { t, lang } = useI18n();
  // Who took part: members of the pairing's organisations the user sees (the server checks the same).
  const members = useQuery({
    queryKey: ['members', 'participants', participantOrgIds],
    queryFn: async () =>
      (
        await Promise.all(
          participantOrgIds.map((org) =>
            api
              .get<Page<{ id: number; name: string; orgName: string }>>('/api/members', {
                org,
                pageSize: 200,
              })
              .then((p) => p.items)
              .catch(() => []),
          ),
        )
      ).flat(),
    enabled: participantOrgIds.length > 0 && navigator.onLine,
    staleTime: 5 * 60_000,
  });
  return (
    <Collapse
      size="small"
      style={{ marginBottom: 16 }}
      items={[
        {
          key: 'extras',
          forceRender: true,
          label: t('帮扶成效、问题与参加人员（选填）', 'Outcomes, problems and who took part (optional)'),
          children: (
            <>
              <Form.Item name="problemsFound" label={t('发现的问题', 'Problems found')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              <Form.Item name="problemsSolved" label={t('解决的问题', 'Problems solved')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              {participantOrgIds.length > 0 && (
                <Form.Item name="participantIds" label={t('参加人员', 'Who took part')}>
                  <Select
                    mode="multiple"
                    showSearch={{ optionFilterProp: 'label' }}
                    loading={members.isFetching}
                    placeholder={t('选择党员（可不选）', 'Pick members (optional)')}
                    notFoundContent={t('联网后可选择', 'Available when online')}
                    options={(members.data ?? []).map((m) => ({
                      value: m.id,
                      label: `${m.name}（${m.orgName}）`,
                    }))}
                  />
                </Form.Item>
              )}
              <Form.List name="outcomes">
                {(fields, { add, remove }) => (
                  <Flex vertical gap={8}>
                    {fields.map((field, i) => (
                      <Flex key={field.key} gap={6} align="start" wrap>
                        <Form.Item
                          name={[field.name, 'unit']}
                          style={{ marginBottom: 0, width: 130 }}
                          rules={[{ required: true, message: t('请选择', 'Choose') }]}
                        >
                          <Select
                            aria-label={t(`成效${i + 1}的类别`, `Outcome ${i + 1}: what`)}
                            placeholder={t('类别', 'What')}
                            options={OUTCOME_UNITS.map((u) => ({
                              value: u.code,
                              label:
                                lang === 'en' ? `${u.measure.en} (${u.en})` : `${u.measure.zh}（${u.zh}）`,
                            }))}
                          />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'amount']}
                          style={{ marginBottom: 0, width: 110 }}
                          rules={[{ required: true, message: t('请填写数量', 'Enter the amount') }]}
                        >
                          <InputNumber
                            aria-label={t(`成效${i + 1}的数量`, `Outcome ${i + 1}: amount`)}
                            min={0}
                            placeholder={t('数量', 'Amount')}
                            style={{ width: '100%' }}
                          />
                        </Form.Item>
                        <Form.Item name={[field.name, 'note']} style={{ marginBottom: 0, flex: '1 1 120px' }}>
                          <Input
                            aria-label={t(`成效${i + 1}的说明`, `Outcome ${i + 1}: note`)}
                            maxLength={200}
                            placeholder={t('说明（选填）', 'Note (optional)')}
                          />
                        </Form.Item>
                        <Button
                          type="text"
                          aria-label={t(`删除成效${i + 1}`, `Remove outcome ${i + 1}`)}
                          icon={<MinusCircleOutlined />}
                          onClick={() => remove(field.name)}
                        />
                      </Flex>
                    ))}
                    {fields.length < 10 && (
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                        {t(
                          '添加成效（资金、培训人次、项目等）',
                          'Add an outcome (funds, training, projects …)',
                        )}
                      </Button>
                    )}
                  </Flex>
                )}
              </Form.List>
            </>
          ),
        },
      ]}
    />
  );
}
