import { ArrowDownOutlined, ArrowUpOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import type { Indicator as IndicatorData, SchemeContent } from '../../../../../src/domain/assessment.ts';
import { SCORING_METHODS } from '../../../../../src/domain/assessment.ts';
import { PAIRING_KINDS } from '../../../../../src/domain/pairings.ts';
import {
  Band as BandSchema,
  Indicator as IndicatorSchema,
  SchemeContent as SchemeContentSchema,
  SchemeInput,
} from '../../../../../src/modules/assessment/schemas.ts';
import { api } from '../../../lib/api';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import { KEYS, type Scheme } from './api';
import { describeIndicator } from './describe';

/** An indicator as the form holds it: the scheme's own, with the method its params were written for. */
type IndicatorRow = Partial<IndicatorData> & { paramsFor?: string };
interface Values {
  title: string;
  note?: string;
  activate: boolean;
  content: {
    indicators: IndicatorRow[];
    bands: { code: string; zh: string; en: string; min: number }[];
    minCoverage?: number | null;
  };
}

// The server's own field rules (the shape of an indicator is the same whatever its method).
const indicatorShape = IndicatorSchema.options[0].shape;
const EPS = 1e-6;
export const weightTotal = (rows: readonly (IndicatorRow | undefined)[] | undefined) =>
  Math.round((rows ?? []).reduce((s, r) => s + (Number(r?.weight) || 0), 0) * 1000) / 1000;

/** The payload the server takes, from what the form holds: params only where they fit the method. */
function contentOf(v: Values): SchemeContent {
  const indicators = (v.content.indicators ?? []).map((row) => {
    const { paramsFor, params, kinds, whenMissing, ...rest } = row;
    return {
      ...rest,
      ...(params && paramsFor === row.method ? { params } : {}),
      ...(kinds?.length ? { kinds } : {}),
      ...(whenMissing === 'zero' ? { whenMissing } : {}),
    } as IndicatorData;
  });
  const minCoverage = v.content.minCoverage;
  return {
    indicators,
    bands: v.content.bands ?? [],
    ...(minCoverage !== undefined && minCoverage !== null ? { minCoverage } : {}),
  };
}

const toName = (path: readonly PropertyKey[]) =>
  ['content', ...path.map((p) => (typeof p === 'number' ? p : String(p)))] as (string | number)[];

/**
 * A new version of the year's scheme, from the one shown: indicators (weights summing to 100,
 * checked here as the server checks it), how a missing record counts, and the bands the county
 * defines. Schemes are never edited in place: each save is the next version, active at once if asked.
 */
export function SchemeForm({
  open,
  year,
  base,
  onClose,
}: {
  open: boolean;
  year: number;
  base: Scheme | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const rows = Form.useWatch(['content', 'indicators'], form) as IndicatorRow[] | undefined;
  const total = weightTotal(rows);

  useEffect(() => {
    if (!open) return;
    setBanner(undefined);
    const content = base?.content;
    form.setFieldsValue({
      title:
        base?.title ?? t(`${year}年度城乡党建“三联共建”考评方案`, `${year} co-building assessment scheme`),
      note: '',
      activate: true,
      content: {
        indicators: (content?.indicators ?? []).map((i) => ({ ...i, paramsFor: i.method })),
        bands: content?.bands ?? [
          { code: 'excellent', zh: '优秀', en: 'Excellent', min: 90 },
          { code: 'good', zh: '良好', en: 'Good', min: 80 },
          { code: 'fair', zh: '一般', en: 'Fair', min: 60 },
          { code: 'poor', zh: '较差', en: 'Poor', min: 0 },
        ],
        minCoverage: content?.minCoverage ?? null,
      },
    });
  }, [open, base, year, form, t]);

  const submit = async () => {
    setBanner(undefined);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = form.getFieldsValue(true) as Values;
    const content = contentOf(v);
    // The server's own schema (shape and the rules of src/domain/assessment.ts) before sending.
    const checked = SchemeContentSchema.safeParse(content);
    if (!checked.success) {
      const placed: { name: (string | number)[]; errors: string[] }[] = [];
      const loose: string[] = [];
      for (const issue of checked.error.issues) {
        if (issue.path.length > 1) placed.push({ name: toName(issue.path), errors: [issue.message] });
        else loose.push(issue.message);
      }
      form.setFields(placed as Parameters<typeof form.setFields>[0]);
      setBanner(loose[0] ?? t('请检查标红的项目', 'Check the fields marked in red'));
      return;
    }
    const payload = {
      year,
      title: v.title,
      content,
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      activate: v.activate,
    };
    const body = SchemeInput.safeParse(payload);
    if (!body.success) {
      setBanner(body.error.issues[0]?.message);
      return;
    }
    setBusy(true);
    try {
      const saved = await api.post<Scheme>('/api/assessment/schemes', payload);
      message.success(
        saved.active
          ? t(`已保存为第${saved.version}版并启用`, `Saved as version ${saved.version}, active`)
          : t(`已保存为第${saved.version}版（未启用）`, `Saved as version ${saved.version}, not active`),
      );
      await qc.invalidateQueries({ queryKey: KEYS.schemes(year) });
      onClose();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };

  const L = (c: { zh: string; en: string }) => (lang === 'en' ? c.en : c.zh);
  const ok = Math.abs(total - 100) <= EPS;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={narrow ? '100%' : 760}
      title={
        base
          ? t(`新版本（以第${base.version}版为基础）`, `New version (from version ${base.version})`)
          : t(`制定${year}年度考评方案`, `A scheme for ${year}`)
      }
      destroyOnHidden
      extra={
        <Button type="primary" loading={busy} onClick={() => void submit()}>
          {t('保存', 'Save')}
        </Button>
      }
    >
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" disabled={busy} onFinish={() => void submit()}>
        <Form.Item
          name="title"
          label={t('方案名称', 'Title')}
          rules={[
            { required: true, message: t('请填写方案名称', 'Give the title') },
            zodRule(SchemeInput.shape.title),
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={t('修订说明（可选）', 'What changed (optional)')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>

        <Flex justify="space-between" align="center" wrap gap={8} style={{ margin: '8px 0' }}>
          <Typography.Text strong>{t('考评指标', 'Indicators')}</Typography.Text>
          <Typography.Text
            role="status"
            aria-live="polite"
            type={ok ? 'success' : 'danger'}
            strong
            data-testid="weight-total"
          >
            {t(`权重合计 ${total} / 100`, `Weights ${total} / 100`)}
          </Typography.Text>
        </Flex>
        <Form.List
          name={['content', 'indicators']}
          rules={[
            {
              validator: async (_, list: IndicatorRow[] | undefined) => {
                if (!list?.length) throw new Error(t('至少需要一项考评指标', 'A scheme needs an indicator'));
                const sum = weightTotal(list);
                if (Math.abs(sum - 100) > EPS)
                  throw new Error(
                    t(`各项指标权重之和须为100，现为${sum}`, `The weights must sum to 100, not ${sum}`),
                  );
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => {
                const row = rows?.[i];
                return (
                  <div
                    key={f.key}
                    style={{
                      border: '1px solid #f0f0f0',
                      borderRadius: 6,
                      padding: '8px 12px',
                      marginBottom: 8,
                    }}
                  >
                    <Flex justify="space-between" align="center">
                      <Typography.Text type="secondary">
                        {t(`指标${i + 1}`, `Indicator ${i + 1}`)}
                      </Typography.Text>
                      <Button
                        type="text"
                        danger
                        icon={<MinusCircleOutlined />}
                        aria-label={t(`删除指标${i + 1}`, `Remove indicator ${i + 1}`)}
                        onClick={() => remove(f.name)}
                      />
                    </Flex>
                    <Flex wrap gap={12}>
                      <Form.Item
                        name={[f.name, 'zh']}
                        label={t('指标名称', 'Name')}
                        style={{ flex: '2 1 180px', marginBottom: 8 }}
                        rules={[
                          { required: true, message: t('请填写名称', 'Name it') },
                          zodRule(indicatorShape.zh),
                        ]}
                      >
                        <Input maxLength={50} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'weight']}
                        label={t('权重', 'Weight')}
                        style={{ flex: '0 0 110px', marginBottom: 8 }}
                        rules={[
                          { required: true, message: t('请填写权重', 'Give the weight') },
                          zodRule(indicatorShape.weight),
                        ]}
                      >
                        <InputNumber
                          min={0}
                          max={100}
                          step={1}
                          style={{ width: '100%' }}
                          aria-label={t(`指标${i + 1}权重`, `Weight of indicator ${i + 1}`)}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'method']}
                        label={t('计分方法', 'Scored by')}
                        style={{ flex: '2 1 200px', marginBottom: 8 }}
                        rules={[{ required: true, message: t('请选择计分方法', 'Pick a method') }]}
                      >
                        <Select options={SCORING_METHODS.map((m) => ({ value: m.code, label: L(m) }))} />
                      </Form.Item>
                    </Flex>
                    <Flex wrap gap={12}>
                      <Form.Item
                        name={[f.name, 'en']}
                        label={t('英文名称', 'English name')}
                        style={{ flex: '2 1 180px', marginBottom: 8 }}
                        rules={[
                          { required: true, message: t('请填写英文名称', 'Give the English name') },
                          zodRule(indicatorShape.en),
                        ]}
                      >
                        <Input maxLength={100} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'code']}
                        label={t('代码', 'Code')}
                        style={{ flex: '1 1 120px', marginBottom: 8 }}
                        rules={[
                          { required: true, message: t('请填写代码', 'Give a code') },
                          zodRule(indicatorShape.code),
                        ]}
                      >
                        <Input maxLength={32} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'whenMissing']}
                        label={t('无记录时', 'No records')}
                        style={{ flex: '1 1 140px', marginBottom: 8 }}
                      >
                        <Select
                          options={[
                            { value: 'skip', label: t('不计入', 'Left out') },
                            { value: 'zero', label: t('计0分', 'Scores 0') },
                          ]}
                          placeholder={t('不计入', 'Left out')}
                        />
                      </Form.Item>
                    </Flex>
                    <Form.Item
                      name={[f.name, 'kinds']}
                      label={t('适用结对类型（不选为全部）', 'Kinds of pairing (none: all)')}
                      style={{ marginBottom: 4 }}
                    >
                      <Select
                        mode="multiple"
                        allowClear
                        maxTagCount="responsive"
                        options={PAIRING_KINDS.map((k) => ({ value: k.code, label: L(k) }))}
                      />
                    </Form.Item>
                    {row?.method && (
                      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
                        {describeIndicator(
                          {
                            ...(row as IndicatorData),
                            params: row.paramsFor === row.method ? row.params : undefined,
                          } as IndicatorData,
                          lang,
                        )}
                      </Typography.Paragraph>
                    )}
                  </div>
                );
              })}
              <Form.ErrorList errors={errors} />
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                style={{ marginTop: 4 }}
                onClick={() =>
                  add({ code: `ind${fields.length + 1}`, zh: '', en: '', weight: 0, method: 'quota' })
                }
              >
                {t('添加指标', 'Add an indicator')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Text strong style={{ display: 'block', margin: '20px 0 4px' }}>
          {t('考评等次（从高到低，最低等次分数线为0）', 'Bands (highest first, the lowest from 0)')}
        </Typography.Text>
        <Form.List name={['content', 'bands']}>
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((f, i) => (
                <Flex key={f.key} wrap gap={8} align="flex-start" style={{ marginBottom: 4 }}>
                  <Form.Item
                    name={[f.name, 'zh']}
                    label={i === 0 || narrow ? t('等次', 'Band') : undefined}
                    style={{ flex: '1 1 90px', marginBottom: 8 }}
                    rules={[
                      { required: true, message: t('请填写', 'Required') },
                      zodRule(BandSchema.shape.zh),
                    ]}
                  >
                    <Input maxLength={20} aria-label={t(`等次${i + 1}名称`, `Band ${i + 1} name`)} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'min']}
                    label={i === 0 || narrow ? t('分数线（含）', 'From (incl.)') : undefined}
                    style={{ flex: '0 0 110px', marginBottom: 8 }}
                    rules={[
                      { required: true, message: t('请填写', 'Required') },
                      zodRule(BandSchema.shape.min),
                    ]}
                  >
                    <InputNumber
                      min={0}
                      max={100}
                      style={{ width: '100%' }}
                      aria-label={t(`等次${i + 1}分数线`, `Band ${i + 1} minimum`)}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'en']}
                    label={i === 0 || narrow ? t('英文', 'English') : undefined}
                    style={{ flex: '1 1 100px', marginBottom: 8 }}
                    rules={[
                      { required: true, message: t('请填写', 'Required') },
                      zodRule(BandSchema.shape.en),
                    ]}
                  >
                    <Input maxLength={40} aria-label={t(`等次${i + 1}英文`, `Band ${i + 1} English`)} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'code']}
                    label={i === 0 || narrow ? t('代码', 'Code') : undefined}
                    style={{ flex: '1 1 100px', marginBottom: 8 }}
                    rules={[
                      { required: true, message: t('请填写', 'Required') },
                      zodRule(BandSchema.shape.code),
                    ]}
                  >
                    <Input maxLength={32} aria-label={t(`等次${i + 1}代码`, `Band ${i + 1} code`)} />
                  </Form.Item>
                  <Space size={0} style={{ marginTop: i === 0 || narrow ? 30 : 0 }}>
                    <Button
                      type="text"
                      icon={<ArrowUpOutlined />}
                      disabled={i === 0}
                      aria-label={t(`等次${i + 1}上移`, `Move band ${i + 1} up`)}
                      onClick={() => move(i, i - 1)}
                    />
                    <Button
                      type="text"
                      icon={<ArrowDownOutlined />}
                      disabled={i === fields.length - 1}
                      aria-label={t(`等次${i + 1}下移`, `Move band ${i + 1} down`)}
                      onClick={() => move(i, i + 1)}
                    />
                    <Button
                      type="text"
                      danger
                      icon={<MinusCircleOutlined />}
                      aria-label={t(`删除等次${i + 1}`, `Remove band ${i + 1}`)}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                </Flex>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ code: `band${fields.length + 1}`, zh: '', en: '', min: 0 })}
              >
                {t('添加等次', 'Add a band')}
              </Button>
            </>
          )}
        </Form.List>

        <Form.Item
          name={['content', 'minCoverage']}
          label={t('最低计分权重（可选）', 'Least weight scored (optional)')}
          extra={t(
            '计分指标权重合计低于此值的结对不评定（记录不足）',
            'Pairings scored on fewer weights than this are left unscored (too few records)',
          )}
          style={{ marginTop: 16 }}
        >
          <InputNumber min={0} max={100} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="activate" valuePropName="checked">
          <Checkbox>{t('保存后即启用（同年度其他版本停用）', 'Make it the active version')}</Checkbox>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
