import { FilterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Collapse, Flex, Form, Grid, Input, Row, Select } from 'antd';
import { useEffect } from 'react';
import { MEMBER_CATEGORIES, MEMBER_STATUSES, SECTORS } from '../../../../../src/domain/codes.ts';
import { MemberListQuery } from '../../../../../src/modules/members/schemas.ts';
import { OrgPicker } from '../../../components/org-picker';
import { zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import type { MemberFilters } from '../api/get-members';

/** The filters a clerk sets; the page and page size are the list's own. */
export const FILTER_KEYS = ['q', 'under', 'sector', 'category', 'status', 'needy', 'mobile'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
interface Values {
  q?: string;
  under?: number;
  sector?: string;
  category?: string;
  status?: string;
  needy?: string;
  mobile?: string;
}

const toValues = (f: MemberFilters): Values => ({
  ...Object.fromEntries(FILTER_KEYS.map((k) => [k, f[k] || undefined])),
  under: f.under ? Number(f.under) : undefined,
});

/** Filters: in a row on a desk; folded into a panel on a phone. */
export function MemberFiltersForm({
  filters,
  onApply,
}: {
  filters: MemberFilters;
  onApply: (next: Partial<Record<FilterKey, string | undefined>>) => void;
}) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<Values>();
  const wide = Grid.useBreakpoint().lg ?? true;
  const label = (zh: string, en: string) => (lang === 'en' ? en : zh);

  // The address bar is the truth: a link from another screen or the back button sets the form.
  const key = FILTER_KEYS.map((k) => filters[k] ?? '').join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filters it is made of
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toValues(filters));
  }, [key, form]);

  const yesNo = [
    { value: 'true', label: t('是', 'Yes') },
    { value: 'false', label: t('否', 'No') },
  ];
  const active = FILTER_KEYS.filter((k) => filters[k]).length;

  const apply = (v: Values) =>
    onApply({
      q: v.q?.trim() || undefined,
      under: v.under === undefined ? undefined : String(v.under),
      sector: v.sector,
      category: v.category,
      status: v.status,
      needy: v.needy,
      mobile: v.mobile,
    });

  const fields = (
    <Form<Values> form={form} layout="vertical" onFinish={apply} initialValues={toValues(filters)}>
      <Row gutter={12}>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item
            name="q"
            label={t('姓名或身份证号末几位', 'Name or ID number ending')}
            rules={[zodRule(MemberListQuery.shape.q)]}
          >
            <Input allowClear placeholder={t('如：张 或 002X', 'e.g. 张 or 002X')} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="under" label={t('所在组织（含下级）', 'Organisation (with those below)')}>
            <OrgPicker />
          </Form.Item>
        </Col>
        <Col xs={12} sm={12} lg={4}>
          <Form.Item name="sector" label={t('领域', 'Sector')}>
            <Select
              allowClear
              placeholder={t('全部', 'All')}
              options={SECTORS.map((s) => ({ value: s.code, label: label(s.zh, s.en) }))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={12} lg={4}>
          <Form.Item name="category" label={t('人员类别', 'Category')}>
            <Select
              allowClear
              placeholder={t('党员', 'Party members')}
              options={[
                ...MEMBER_CATEGORIES.map((c) => ({ value: c.code, label: label(c.zh, c.en) })),
                { value: 'all', label: t('全部人员', 'Everyone') },
              ]}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={8} lg={4}>
          <Form.Item name="status" label={t('党员状态', 'Status')}>
            <Select
              allowClear
              placeholder={t('全部', 'All')}
              options={MEMBER_STATUSES.map((c) => ({ value: c.code, label: label(c.zh, c.en) }))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={8} lg={3}>
          <Form.Item name="needy" label={t('困难党员', 'Needy')}>
            <Select allowClear placeholder={t('不限', 'Any')} options={yesNo} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={8} lg={3}>
          <Form.Item name="mobile" label={t('流动党员', 'Mobile')}>
            <Select allowClear placeholder={t('不限', 'Any')} options={yesNo} />
          </Form.Item>
        </Col>
        <Col xs={24} lg={18}>
          <Flex gap={8} justify={wide ? 'flex-end' : 'flex-start'} style={{ paddingTop: wide ? 30 : 0 }}>
            <Button type="primary" htmlType="submit">
              {t('查询', 'Search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                onApply(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
              }}
            >
              {t('清除条件', 'Clear')}
            </Button>
          </Flex>
        </Col>
      </Row>
    </Form>
  );

  if (wide) {
    return (
      <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { paddingBottom: 0 } }}>
        {fields}
      </Card>
    );
  }
  return (
    <Collapse
      style={{ marginBottom: 12, background: '#fff' }}
      items={[
        {
          key: 'filters',
          forceRender: true,
          label: (
            <span>
              <FilterOutlined /> {t('筛选条件', 'Filters')}
              {active > 0 && t(`（已选${active}项）`, ` (${active} set)`)}
            </span>
          ),
          children: fields,
        },
      ]}
    />
  );
}
