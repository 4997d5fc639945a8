import { DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Grid,
  Popconfirm,
  Progress,
  Result,
  Row,
  Segmented,
  Statistic,
  Steps,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { ErrorState } from '../../components/states';
import { ApiError, isApiError } from '../../lib/api';
import { useCan, useUser } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { type ImportReport, importSheet, type UploadProgress } from './api/import-sheet';
import { ImportPreview } from './components/import-preview';
import { buildPreview, COLUMNS, type ImportKind } from './utils/preview-model';
import { PREVIEW_MAX_BYTES, readSheet, type SheetPreview } from './utils/read-sheet';

type Stage =
  | { step: 'pick' }
  | { step: 'checking'; progress: UploadProgress }
  | { step: 'checked'; report: ImportReport }
  | { step: 'importing'; progress: UploadProgress }
  | { step: 'done'; report: ImportReport };

const STEP_INDEX: Record<Stage['step'], number> = { pick: 0, checking: 1, checked: 1, importing: 2, done: 3 };

function Working({ progress, title }: { progress: UploadProgress; title: string }) {
  const { t } = useI18n();
  return (
    <Card size="small" role="status" aria-live="polite">
      <Typography.Paragraph strong>{title}</Typography.Paragraph>
      <Progress
        percent={Math.round(progress.percent)}
        status="active"
        aria-label={t('上传进度', 'Upload progress')}
      />
      <Typography.Text type="secondary">
        {progress.phase === 'upload'
          ? t('正在上传文件…', 'Uploading the file…')
          : t('文件已上传，服务器正在逐行检查，请稍候…', 'Uploaded; the server is checking every row…')}
      </Typography.Text>
    </Card>
  );
}

function Counts({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const { t } = useI18n();
  const figures = [
    { k: 'created', title: dryRun ? t('将新增', 'To add') : t('已新增', 'Added'), value: report.created },
    {
      k: 'updated',
      title: dryRun ? t('将更新', 'To update') : t('已更新', 'Updated'),
      value: report.updated,
    },
    { k: 'unchanged', title: t('无变化', 'Unchanged'), value: report.unchanged },
    {
      k: 'failed',
      title: dryRun ? t('有错误', 'With errors') : t('未导入（有错误）', 'Not imported (errors)'),
      value: report.failed,
      danger: report.failed > 0,
    },
  ];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      {figures.map((f) => (
        <Col key={f.k} xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={f.title}
              value={f.value}
              styles={f.danger ? { content: { color: '#cf1322' } } : undefined}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** 导入: upload a sheet → check it (a dry run, errors shown in place) → import for real → the error workbook. */
export default function ImportWizard() {
  const { lang, t } = useI18n();
  const can = useCan();
  const me = useUser();
  const [kind, setKind] = useState<ImportKind>('members');
  const [file, setFile] = useState<File>();
  const [sheet, setSheet] = useState<SheetPreview>();
  const [stage, setStage] = useState<Stage>({ step: 'pick' });
  const [fileError, setFileError] = useState<string>();
  const [importError, setImportError] = useState<unknown>();
  const navigate = useNavigate();
  const wide = Grid.useBreakpoint().md ?? true;
  const abort = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => abort.current?.abort(), []);

  if (!can('import.run'))
    return (
      <ErrorState
        error={
          new ApiError(403, { error: { message: '没有导入权限', messageEn: 'you may not import sheets' } })
        }
      />
    );

  const columns = COLUMNS[kind];
  const requiredLabels = columns.specs.filter((s) => columns.required.includes(s.field)).map((s) => s.label);
  const otherLabels = columns.specs.filter((s) => !columns.required.includes(s.field)).map((s) => s.label);

  const reset = () => {
    abort.current?.abort();
    setFile(undefined);
    setSheet(undefined);
    setFileError(undefined);
    setImportError(undefined);
    setStage({ step: 'pick' });
  };

  const check = async () => {
    if (!file) {
      setFileError(t('请先选择一个 .xlsx 或 .csv 文件', 'Choose an .xlsx or .csv file first'));
      return;
    }
    setFileError(undefined);
    abort.current = new AbortController();
    setStage({ step: 'checking', progress: { phase: 'upload', percent: 0 } });
    // The cells are read here while the server checks; the server's verdict is what counts.
    const reading =
      file.size <= PREVIEW_MAX_BYTES ? readSheet(file).catch(() => undefined) : Promise.resolve(undefined);
    try {
      const report = await importSheet(kind, file, {
        dryRun: true,
        csrfToken: me.csrfToken,
        signal: abort.current.signal,
        onProgress: (progress) => setStage({ step: 'checking', progress }),
      });
      setSheet(await reading);
      setStage({ step: 'checked', report });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      setFileError(isApiError(e) ? e.text(lang) : String(e));
      setStage({ step: 'pick' });
    }
  };

  const runImport = async (previous: ImportReport) => {
    if (!file) return;
    setImportError(undefined);
    abort.current = new AbortController();
    setStage({ step: 'importing', progress: { phase: 'upload', percent: 0 } });
    try {
      const report = await importSheet(kind, file, {
        dryRun: false,
        csrfToken: me.csrfToken,
        signal: abort.current.signal,
        onProgress: (progress) => setStage({ step: 'importing', progress }),
      });
      setStage({ step: 'done', report });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      setImportError(e);
      setStage({ step: 'checked', report: previous });
    }
  };

  const what = kind === 'members' ? t('党员', 'members') : t('组织', 'organisations');
  const errorWorkbook = (url: string | undefined) =>
    url && (
      <Button icon={<DownloadOutlined />} href={url} download="导入错误.xlsx">
        {t('下载错误表', 'Download the error workbook')}
      </Button>
    );

  return (
    <>
      <PageHeader
        trail={[{ to: '/members', label: t('党员', 'Members') }]}
        title={t('导入花名册', 'Import a sheet')}
        subtitle={t(
          '先检查（不保存），核对每一行的错误，再正式导入',
          'Check first (nothing is saved), review the errors row by row, then import',
        )}
      />
      <Steps
        size="small"
        current={STEP_INDEX[stage.step]}
        responsive={false}
        titlePlacement={wide ? 'horizontal' : 'vertical'}
        style={{ marginBottom: 16, overflowX: 'auto' }}
        items={[
          { title: t('选择文件', 'File') },
          { title: t('检查', 'Check') },
          { title: t('导入', 'Import') },
          { title: t('完成', 'Done') },
        ]}
      />

      {stage.step === 'pick' && (
        <Card size="small">
          <Flex vertical gap={12}>
            <div>
              <div id="import-kind-label" style={{ marginBottom: 4 }}>
                {t('导入内容', 'What to import')}
              </div>
              <Segmented<ImportKind>
                aria-labelledby="import-kind-label"
                value={kind}
                onChange={setKind}
                options={[
                  { value: 'members', label: t('党员花名册', 'Members sheet') },
                  { value: 'orgs', label: t('党组织台账', 'Organisations sheet') },
                ]}
              />
            </div>
            <div>
              <Upload.Dragger
                accept=".xlsx,.csv"
                maxCount={1}
                multiple={false}
                beforeUpload={(f) => {
                  setFile(f);
                  setFileError(undefined);
                  return false;
                }}
                onRemove={() => setFile(undefined)}
                fileList={file ? [{ uid: 'file', name: file.name, size: file.size, status: 'done' }] : []}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">
                  {t(
                    '点击或拖入文件（.xlsx 或 .csv，≤ 50MB）',
                    'Click or drop a file (.xlsx or .csv, at most 50 MB)',
                  )}
                </p>
                <p className="ant-upload-hint">
                  {t('旧版 .xls 请先在 Excel 中另存为 .xlsx', 'Save an old .xls as .xlsx first')}
                </p>
              </Upload.Dragger>
              {fileError && (
                <Alert type="error" showIcon role="alert" title={fileError} style={{ marginTop: 8 }} />
              )}
            </div>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 13 }}>
              {t('必填列：', 'Required columns: ')}
              <Typography.Text strong>{requiredLabels.join('、')}</Typography.Text>
              <br />
              {t('可选列：', 'Optional columns: ')}
              {otherLabels.join('、')}
              <br />
              {kind === 'members'
                ? t(
                    '按身份证号新增或更新；出错的行不导入。表头可在前5行内（上面可有标题行）。',
                    'Rows are added or updated by ID number; rows with errors are skipped. The header may be in the first 5 rows.',
                  )
                : t(
                    '按组织全称新增或更新，上级可在同一文件的前面几行。',
                    'Added or updated by full name; a parent may appear earlier in the same file.',
                  )}
            </Typography.Paragraph>
            <div>
              <Button type="primary" onClick={() => void check()} disabled={!file}>
                {t('检查文件（试导入，不保存）', 'Check the file (dry run, nothing saved)')}
              </Button>
            </div>
          </Flex>
        </Card>
      )}

      {stage.step === 'checking' && (
        <Working
          progress={stage.progress}
          title={t(`正在检查 ${file?.name ?? ''}`, `Checking ${file?.name ?? ''}`)}
        />
      )}
      {stage.step === 'importing' && (
        <Working
          progress={stage.progress}
          title={t(`正在导入 ${file?.name ?? ''}`, `Importing ${file?.name ?? ''}`)}
        />
      )}

      {stage.step === 'checked' && (
        <>
          <Alert
            type={stage.report.failed ? 'warning' : 'success'}
            showIcon
            style={{ marginBottom: 12 }}
            title={
              stage.report.failed
                ? t(
                    `检查完毕：${stage.report.failed} 行有错误，尚未保存任何数据。可改正后重新检查，或只导入正确的行。`,
                    `Checked: ${stage.report.failed} rows have errors. Nothing has been saved yet. Fix them and check again, or import the correct rows only.`,
                  )
                : t(
                    '检查完毕：没有发现错误，尚未保存任何数据。',
                    'Checked: no errors found. Nothing has been saved yet.',
                  )
            }
          />
          <Counts report={stage.report} dryRun />
          {stage.report.ignoredColumns.length > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t(
                `以下列未识别，将被忽略：${stage.report.ignoredColumns.join('、')}`,
                `These columns were not recognised and will be ignored: ${stage.report.ignoredColumns.join(', ')}`,
              )}
            />
          )}
          {stage.report.errorsTruncated && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t(
                '错误过多，只列出前1000条；完整的错误见错误表。',
                'Too many errors: the first 1000 are listed; the error workbook has them all.',
              )}
            />
          )}
          {importError !== undefined && (
            <div style={{ marginBottom: 12 }} role="alert">
              <ErrorState error={importError} />
            </div>
          )}
          <Flex wrap gap={8} style={{ marginBottom: 12 }}>
            {stage.report.created + stage.report.updated > 0 &&
              (stage.report.failed > 0 ? (
                <Popconfirm
                  title={t(
                    `${stage.report.failed} 行有错误，不会导入。确定导入其余 ${stage.report.created + stage.report.updated} 行？`,
                    `${stage.report.failed} rows have errors and will be skipped. Import the other ${stage.report.created + stage.report.updated}?`,
                  )}
                  okText={t('导入', 'Import')}
                  cancelText={t('取消', 'Cancel')}
                  onConfirm={() => void runImport(stage.report)}
                >
                  <Button type="primary">
                    {t(
                      `导入正确的 ${stage.report.created + stage.report.updated} 行`,
                      `Import the ${stage.report.created + stage.report.updated} correct rows`,
                    )}
                  </Button>
                </Popconfirm>
              ) : (
                <Button type="primary" onClick={() => void runImport(stage.report)}>
                  {t(
                    `正式导入 ${stage.report.created + stage.report.updated} 行`,
                    `Import ${stage.report.created + stage.report.updated} rows`,
                  )}
                </Button>
              ))}
            {errorWorkbook(stage.report.errorWorkbookUrl)}
            <Button icon={<ReloadOutlined />} onClick={reset}>
              {t('重新选择文件', 'Choose another file')}
            </Button>
          </Flex>
          {(stage.report.errors.length > 0 || sheet) && (
            <Card size="small" title={t(`${file?.name ?? ''} 检查结果`, `${file?.name ?? ''}: results`)}>
              {!sheet && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {t(
                    '文件较大或无法在浏览器中读取，下面只列出出错的行和原因。',
                    'The file is too large to show here; only the rows with errors and their reasons are listed.',
                  )}
                </Typography.Paragraph>
              )}
              <ImportPreview model={buildPreview(kind, sheet, stage.report.errors)} canShowAll={!!sheet} />
            </Card>
          )}
        </>
      )}

      {stage.step === 'done' && (
        <Card size="small">
          <Result
            status={stage.report.failed ? 'warning' : 'success'}
            title={t(
              `导入完成：新增 ${stage.report.created}，更新 ${stage.report.updated}`,
              `Imported: ${stage.report.created} added, ${stage.report.updated} updated`,
            )}
            subTitle={
              stage.report.failed
                ? t(
                    `${stage.report.failed} 行有错误未导入。请下载错误表，改正后再导入这些行。`,
                    `${stage.report.failed} rows with errors were not imported. Download the error workbook, fix them and import it again.`,
                  )
                : t(`所有${what}都已导入。`, `All ${what} were imported.`)
            }
            extra={
              <Flex wrap gap={8} justify="center">
                {errorWorkbook(stage.report.errorWorkbookUrl)}
                <Button type="primary" onClick={() => navigate(kind === 'members' ? '/members' : '/orgs')}>
                  {kind === 'members'
                    ? t('查看党员名单', 'Open the member list')
                    : t('查看组织树', 'Open the tree')}
                </Button>
                <Button onClick={reset}>{t('再导入一个文件', 'Import another file')}</Button>
              </Flex>
            }
          />
          <Counts report={stage.report} dryRun={false} />
        </Card>
      )}
    </>
  );
}
