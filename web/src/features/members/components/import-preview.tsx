import { WarningFilled } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { Flex, Grid, List, Switch, Table, Typography } from 'antd';
import { type CSSProperties, useMemo, useState } from 'react';
import { useI18n } from '../../../lib/i18n';
import type { PreviewModel, PreviewRow } from '../utils/preview-model';

const ROW_WITH_ERROR: CSSProperties = { background: '#fff7f6' };
const CELL_WITH_ERROR: CSSProperties = { background: '#ffe7e4', boxShadow: 'inset 0 0 0 1px #ff7875' };

/** The server writes "中文 / English"; show the user's half. */
function inLang(message: string, lang: 'zh' | 'en') {
  const i = message.indexOf(' / ');
  if (i < 0) return message;
  return lang === 'en' ? message.slice(i + 3) : message.slice(0, i);
}

function Problems({ messages }: { messages: string[] | undefined }) {
  const { lang } = useI18n();
  if (!messages?.length) return null;
  return (
    <>
      {messages.map((m) => (
        <div key={m} style={{ color: '#cf1322', fontSize: 12, lineHeight: 1.4, marginTop: 2 }}>
          <WarningFilled aria-hidden /> {inLang(m, lang)}
        </div>
      ))}
    </>
  );
}

/** A column wide enough for its longest text (of the first rows), CJK counted double. */
function widthOf(texts: string[]): number {
  let longest = 0;
  for (const text of texts) {
    let w = 0;
    for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? 14 : 8.5;
    longest = Math.max(longest, w);
  }
  return Math.round(Math.min(260, Math.max(72, longest + 24)));
}

/** On a phone: one card per row, its cells as "header: value", the erroneous ones outlined. */
function RowCards({ rows, headers }: { rows: PreviewRow[]; headers: string[] }) {
  const { t } = useI18n();
  return (
    <List<PreviewRow>
      aria-label={t('导入预览', 'Import preview')}
      dataSource={rows}
      pagination={
        rows.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false, align: 'center' } : false
      }
      locale={{ emptyText: t('没有数据行', 'No data rows') }}
      renderItem={(r) => (
        <List.Item style={{ display: 'block', padding: 8, ...(r.errors.size ? ROW_WITH_ERROR : {}) }}>
          <Typography.Text strong>
            {r.errors.size > 0 && (
              <WarningFilled
                style={{ color: '#cf1322', marginInlineEnd: 4 }}
                aria-label={t('有错误', 'has errors')}
              />
            )}
            {t(`第 ${r.row} 行`, `Row ${r.row}`)}
          </Typography.Text>
          <dl style={{ margin: '4px 0 0' }}>
            {headers.map((h, col) =>
              r.cells[col] || r.errors.has(col) ? (
                <div
                  key={h || col}
                  style={{
                    display: 'flex',
                    gap: 8,
                    padding: '2px 4px',
                    ...(r.errors.has(col) ? CELL_WITH_ERROR : {}),
                  }}
                >
                  <dt style={{ color: '#888', flex: '0 0 88px', fontSize: 13 }}>{h}</dt>
                  <dd style={{ margin: 0, minWidth: 0, wordBreak: 'break-all' }}>
                    {r.cells[col]}
                    <Problems messages={r.errors.get(col)} />
                  </dd>
                </div>
              ) : null,
            )}
            {r.errors.has(-1) && (
              <div style={{ padding: '2px 4px', ...CELL_WITH_ERROR }}>
                <Problems messages={r.errors.get(-1)} />
              </div>
            )}
          </dl>
        </List.Item>
      )}
    />
  );
}

/**
 * The sheet as the clerk typed it, row numbers as Excel shows them, each error in the cell of the
 * column it concerns; rows with errors tinted, the erroneous cells outlined.
 */
export function ImportPreview({ model, canShowAll }: { model: PreviewModel; canShowAll: boolean }) {
  const { t } = useI18n();
  const [onlyErrors, setOnlyErrors] = useState(model.errorRows > 0);
  const showAll = canShowAll && !onlyErrors;
  const rows = useMemo(
    () => (showAll ? model.rows : model.rows.filter((r) => r.errors.size > 0)),
    [showAll, model.rows],
  );
  const hasOther = model.rows.some((r) => r.errors.has(-1));
  const narrow = !(Grid.useBreakpoint().md ?? true);
  const widths = useMemo(
    () =>
      model.headers.map((h, col) => widthOf([h, ...model.rows.slice(0, 200).map((r) => r.cells[col] ?? '')])),
    [model],
  );

  const columns: TableColumnsType<PreviewRow> = [
    {
      title: t('行号', 'Row'),
      dataIndex: 'row',
      fixed: 'left',
      width: 64,
      onCell: (r) => ({ style: r.errors.size ? ROW_WITH_ERROR : undefined }),
      render: (row: number, r) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {r.errors.size > 0 && (
            <WarningFilled
              style={{ color: '#cf1322', marginInlineEnd: 4 }}
              aria-label={t('有错误', 'has errors')}
            />
          )}
          {row}
        </span>
      ),
    },
    ...model.headers.map((h, col) => ({
      title: h || t(`（第${col + 1}列）`, `(column ${col + 1})`),
      key: `c${col}`,
      width: widths[col],
      onCell: (r: PreviewRow) => ({
        style: r.errors.has(col) ? CELL_WITH_ERROR : r.errors.size ? ROW_WITH_ERROR : undefined,
      }),
      render: (_: unknown, r: PreviewRow) => (
        <>
          <span style={{ wordBreak: 'break-all' }}>{r.cells[col] ?? ''}</span>
          <Problems messages={r.errors.get(col)} />
        </>
      ),
    })),
    ...(hasOther
      ? [
          {
            title: t('其他问题', 'Other problems'),
            key: 'other',
            width: 200,
            onCell: (r: PreviewRow) => ({
              style: r.errors.has(-1) ? CELL_WITH_ERROR : r.errors.size ? ROW_WITH_ERROR : undefined,
            }),
            render: (_: unknown, r: PreviewRow) => <Problems messages={r.errors.get(-1)} />,
          },
        ]
      : []),
  ];

  return (
    <>
      {canShowAll && (
        <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
          <Switch
            id="only-errors"
            size="small"
            checked={onlyErrors}
            onChange={setOnlyErrors}
            disabled={model.errorRows === 0}
          />
          <label htmlFor="only-errors">{t('只看有错误的行', 'Only rows with errors')}</label>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(
              `共 ${model.rows.length} 行，${model.errorRows} 行有错误`,
              `${model.rows.length} rows, ${model.errorRows} with errors`,
            )}
          </Typography.Text>
        </Flex>
      )}
      {narrow ? (
        <RowCards rows={rows} headers={model.headers} />
      ) : (
        <Table<PreviewRow>
          aria-label={t('导入预览', 'Import preview')}
          rowKey="key"
          size="small"
          bordered
          columns={columns}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false, size: 'small' } : false}
          locale={{ emptyText: t('没有数据行', 'No data rows') }}
        />
      )}
    </>
  );
}
