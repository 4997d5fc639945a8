import { Grid, Select, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { today } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { DecisionsPanel } from './assessment/decisions-panel';
import { ResultsPanel } from './assessment/results-panel';
import { SchemePanel } from './assessment/scheme-panel';
import { SurveysPanel } from './assessment/surveys-panel';

const TABS = ['scheme', 'results', 'decisions', 'surveys'] as const;
type Tab = (typeof TABS)[number];

/**
 * 年终考评: the county's scheme for the year (indicators, weights, bands; new versions), the scoring
 * runs and their results by level (for the department's own use), the proposals people record on
 * them, and the satisfaction surveys the masses answer. Year and tab live in the address.
 */
export default function Assessment() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const narrow = Grid.useBreakpoint().md === false;
  const thisYear = Number(today().slice(0, 4));
  const year = Number(params.get('year')) || thisYear;
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'scheme';
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('年终考评', 'Year-end assessment')}
        subtitle={t(
          '考评方案、考评结果、评议评选建议和群众满意度测评',
          'The scheme, the results, proposals recorded on them, and satisfaction surveys',
        )}
        extra={
          <Select
            aria-label={t('考评年度', 'Year assessed')}
            value={year}
            onChange={(y) => set('year', String(y))}
            style={{ width: 110 }}
            options={[thisYear - 1, thisYear].map((y) => ({ value: y, label: t(`${y}年度`, String(y)) }))}
          />
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k)}
        items={[
          {
            key: 'scheme',
            label: narrow ? t('方案', 'Scheme') : t('考评方案', 'Scheme'),
            children: <SchemePanel key={year} year={year} />,
          },
          {
            key: 'results',
            label: narrow ? t('结果', 'Results') : t('考评结果', 'Results'),
            children: <ResultsPanel key={year} year={year} />,
          },
          {
            key: 'decisions',
            label: narrow ? t('建议', 'Proposals') : t('评议评选建议', 'Proposals'),
            children: <DecisionsPanel key={year} year={year} />,
          },
          {
            key: 'surveys',
            label: narrow ? t('测评', 'Surveys') : t('满意度测评', 'Surveys'),
            children: <SurveysPanel key={year} year={year} />,
          },
        ]}
      />
    </>
  );
}
