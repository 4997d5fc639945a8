import type { Sector } from '../../../domain/codes.ts';
import { words } from './names.ts';
import type { PlaceNode, Township } from './places.ts';
import type { Profile, Shares } from './profiles.ts';

/**
 * The county's party organisations outside the villages, as data. A unit is written without the
 * county's name ("县财政局", "城关镇中心学校"); the builder makes 中共青山县财政局支部委员会 of it.
 */
export interface BranchDef {
  unit: string;
  /** Default: unit + 党支部. */
  short?: string;
  sector: Sector;
  profile: Profile;
  /** Relative size; scaled so the county's non-rural members add up to the seed's 3,000. */
  size: number;
  /** Relative share of the county's section-level leaders. */
  section?: number;
  /** County-level leaders placed here (exact). */
  countyLeaders?: number;
  /** leader_unit of the branch's leaders, taken in turn. Default: the unit. */
  leaderUnits?: string[];
  joint?: boolean;
  township?: Township;
  /** Default: the township's place if it has one, else its committee's. */
  place?: PlaceNode;
  occupations?: Shares<string>;
}

export interface CommitteeDef {
  unit: string;
  /** Full name when it is not 中共 + county + unit + 委员会 (the working committees). */
  name?: string;
  short: string;
  kind: 'party_committee' | 'working_committee';
  sector: Sector;
  /** Sits in the county seat rather than at county level (a hospital, a school, the industrial park). */
  atSeat?: boolean;
  branches: BranchDef[];
  /** Non-public firms with a branch of their own under this committee. */
  firms?: number;
}

type Row = readonly [unit: string, size: number, section?: number];

const units = (sector: Sector, profile: Profile, rows: readonly Row[]): BranchDef[] =>
  rows.map(([unit, size, section = 0]) => ({ unit, sector, profile, size, section }));

/** Departments of one unit: their leaders belong to the unit (县人民医院), not to the department. */
const departments = (
  unit: string,
  sector: Sector,
  rows: readonly (readonly [string, number, number, Profile])[],
) =>
  rows.map(
    ([dept, size, section, profile]): BranchDef => ({
      unit: unit + dept,
      sector,
      profile,
      size,
      section,
      leaderUnits: [unit],
    }),
  );

/** The four leadership offices hold the county-level leaders (县委常委, 副县长, 人大/政协 heads): 36 in all. */
const LEADERSHIP: readonly (readonly [
  unit: string,
  size: number,
  leaderUnit: string,
  countyLeaders: number,
])[] = [
  ['县委办公室', 30, '县委', 8],
  ['县政府办公室', 30, '县人民政府', 9],
  ['县人大常委会机关', 18, '县人大常委会', 7],
  ['县政协机关', 18, '县政协', 7],
  ['县纪委监委机关', 22, '县纪委监委', 1],
  ['县委组织部', 16, '县委组织部', 1],
  ['县委宣传部', 12, '县委宣传部', 1],
  ['县委统战部', 10, '县委统战部', 1],
  ['县委政法委', 10, '县委政法委', 1],
];

const BUREAUS: readonly Row[] = [
  ['县发展和改革局', 14, 3],
  ['县财政局', 18, 3],
  ['县人力资源和社会保障局', 16, 3],
  ['县自然资源局', 16, 3],
  ['县住房和城乡建设局', 14, 3],
  ['县水利局', 14, 3],
  ['县商务局', 10, 3],
  ['县文化和旅游局', 12, 3],
  ['县审计局', 10, 3],
  ['县市场监督管理局', 18, 3],
  ['县统计局', 8, 2],
  ['县民政局', 12, 3],
  ['县司法局', 12, 3],
  ['县应急管理局', 10, 3],
  ['县医疗保障局', 8, 2],
  ['县退役军人事务局', 8, 2],
  ['县乡村振兴局', 10, 3],
  ['县林业局', 12, 3],
  ['县信访局', 8, 2],
  ['县机关事务服务中心', 8, 2],
  ['县人民法院', 22, 4],
  ['县人民检察院', 18, 4],
  ['县总工会', 6, 2],
  ['县妇联', 5, 2],
  ['县科协', 5, 2],
  ['县供销合作社联合社', 8, 2],
  ['县政务服务中心', 10, 2],
];

/** The 14 基层党(工)委 besides the 15 乡镇党委. */
export function countyCommittees(townships: readonly Township[]): CommitteeDef[] {
  const perTownship = (make: (t: Township) => BranchDef) => townships.map(make);
  return [
    {
      unit: '县直属机关',
      name: '中共青山县直属机关工作委员会',
      short: '县直机关工委',
      kind: 'working_committee',
      sector: 'agency',
      branches: [
        ...LEADERSHIP.map(
          ([unit, size, leaderUnit, countyLeaders]): BranchDef => ({
            unit,
            sector: 'agency',
            profile: 'agency',
            size,
            section: 2,
            countyLeaders,
            leaderUnits: [leaderUnit],
          }),
        ),
        ...units('agency', 'agency', BUREAUS),
        {
          unit: '共青团青山县委',
          short: '团县委党支部',
          sector: 'agency',
          profile: 'agency',
          size: 5,
          section: 2,
          leaderUnits: ['团县委'],
        },
        ...units('institution', 'institution', [
          ['县委党校', 10, 2],
          ['县档案馆', 5, 1],
        ]),
      ],
    },
    {
      unit: '县教育局',
      short: '县教育局党委',
      kind: 'party_committee',
      sector: 'agency',
      branches: [
        ...departments('县教育局', 'agency', [['机关', 14, 3, 'agency']]),
        ...units('institution', 'school', [
          ['县第二中学', 40, 1],
          ['县第三中学', 32, 1],
          ['县职业高级中学', 28, 1],
          ['县实验小学', 26, 1],
          ['县第一小学', 22],
          ['县第二小学', 20],
          ['县实验幼儿园', 10],
        ]),
        ...perTownship((t) => ({
          unit: `${t.name}中心学校`,
          sector: 'institution',
          profile: 'school',
          size: 14,
          township: t,
        })),
      ],
    },
    {
      unit: '县卫生健康局',
      short: '县卫生健康局党委',
      kind: 'party_committee',
      sector: 'agency',
      branches: [
        ...departments('县卫生健康局', 'agency', [['机关', 12, 3, 'agency']]),
        ...units('institution', 'medical', [
          ['县中医院', 30, 1],
          ['县妇幼保健院', 16, 1],
          ['县疾病预防控制中心', 14, 1],
        ]),
        ...perTownship((t) => ({
          unit: t.kind === 'town' ? `${t.name}中心卫生院` : `${t.name}卫生院`,
          sector: 'institution',
          profile: 'medical',
          size: 7,
          township: t,
        })),
      ],
    },
    {
      unit: '县公安局',
      short: '县公安局党委',
      kind: 'party_committee',
      sector: 'agency',
      branches: [
        ...departments('县公安局', 'agency', [
          ['机关', 16, 3, 'police'],
          ['刑事侦查大队', 14, 1, 'police'],
          ['交通警察大队', 16, 1, 'police'],
          ['治安管理大队', 12, 1, 'police'],
          ['看守所', 8, 0, 'police'],
        ]),
        // Police stations in the six biggest towns; the rest are covered from them.
        ...townships.slice(0, 6).map((t): BranchDef => {
          const station = `${t.name.slice(0, -1)}派出所`;
          return {
            unit: `公安局${station}`,
            short: `${station}党支部`,
            sector: 'agency',
            profile: 'police',
            size: 9,
            township: t,
            leaderUnits: ['县公安局'],
          };
        }),
      ],
    },
    {
      unit: '县人民医院',
      short: '县人民医院党委',
      kind: 'party_committee',
      sector: 'institution',
      atSeat: true,
      branches: departments('县人民医院', 'institution', [
        ['行政后勤', 18, 2, 'medical'],
        ['内科', 24, 0, 'medical'],
        ['外科', 22, 0, 'medical'],
        ['医技', 16, 0, 'medical'],
        ['护理', 20, 0, 'medical'],
        ['离退休', 14, 0, 'retired'],
      ]),
    },
    {
      unit: '县第一中学',
      short: '县第一中学党委',
      kind: 'party_committee',
      sector: 'institution',
      atSeat: true,
      branches: departments('县第一中学', 'institution', [
        ['行政', 14, 2, 'school'],
        ['高一年级', 18, 0, 'school'],
        ['高二年级', 18, 0, 'school'],
        ['高三年级', 20, 0, 'school'],
        ['离退休教师', 14, 0, 'retired'],
      ]),
    },
    {
      unit: '县国资委',
      short: '县国资委党委',
      kind: 'party_committee',
      sector: 'state_enterprise',
      branches: [
        ...departments('县国资委', 'agency', [['机关', 8, 2, 'agency']]),
        ...[
          '城市建设投资',
          '水务集团',
          '交通投资',
          '粮食储备',
          '农业发展投资',
          '公共交通',
          '文化旅游投资',
        ].map(
          (firm): BranchDef => ({
            unit: `县${firm}有限公司`,
            short: `县${firm}公司党支部`,
            sector: 'state_enterprise',
            profile: 'state_enterprise',
            size: 12,
            section: 1,
          }),
        ),
      ],
    },
    {
      unit: '县非公有制经济组织',
      short: '县非公有制经济组织党委',
      kind: 'party_committee',
      sector: 'private_enterprise',
      firms: 20,
      branches: [
        // Small shops and firms with too few members for a branch each share one (联合党支部).
        {
          unit: '城区商贸企业',
          sector: 'private_enterprise',
          profile: 'private_enterprise',
          size: 8,
          joint: true,
        },
      ],
    },
    {
      unit: '县社会组织',
      short: '县社会组织党委',
      kind: 'party_committee',
      sector: 'social_org',
      branches: [
        {
          unit: '律师行业',
          sector: 'social_org',
          profile: 'social_org',
          size: 7,
          joint: true,
          occupations: { 律师: 8, 律师助理: 2 },
        },
        ...(
          [
            ['县个体劳动者协会', '个体工商户'],
            ['县慈善总会', '社会组织工作者'],
            ['县会计师事务所', '会计师'],
            ['县物流行业协会', '企业管理人员'],
            ['县民办教育协会', '教师'],
            ['县志愿者协会', '社会组织工作者'],
          ] as const
        ).map(
          ([unit, job]): BranchDef => ({
            unit,
            sector: 'social_org',
            profile: 'social_org',
            size: 5,
            occupations: { [job]: 1 },
          }),
        ),
      ],
    },
    {
      unit: '县农业农村局',
      short: '县农业农村局党委',
      kind: 'party_committee',
      sector: 'agency',
      branches: [
        ...departments('县农业农村局', 'agency', [['机关', 14, 3, 'agency']]),
        ...units('institution', 'institution', [
          ['县农业技术推广中心', 12, 1],
          ['县畜牧兽医发展中心', 10, 1],
          ['县农业机械化服务中心', 6],
          ['县农村经济经营管理站', 6],
        ]),
      ],
    },
    {
      unit: '县交通运输局',
      short: '县交通运输局党委',
      kind: 'party_committee',
      sector: 'agency',
      branches: [
        ...departments('县交通运输局', 'agency', [['机关', 12, 3, 'agency']]),
        ...units('institution', 'institution', [
          ['县公路管理段', 12, 1],
          ['县道路运输服务中心', 8],
        ]),
        {
          unit: '县交通建设工程有限公司',
          short: '县交通建设工程公司党支部',
          sector: 'state_enterprise',
          profile: 'state_enterprise',
          size: 10,
          section: 1,
        },
      ],
    },
    {
      unit: '县国有林场',
      short: '县国有林场党委',
      kind: 'party_committee',
      sector: 'institution',
      branches: [
        ...departments('县国有林场', 'institution', [['场部', 10, 2, 'institution']]),
        ...['青龙分场', '白云分场', '黑石分场', '松林分场'].map(
          (farm): BranchDef => ({
            unit: `县国有林场${farm}`,
            sector: 'institution',
            profile: 'institution',
            size: 7,
            leaderUnits: ['县国有林场'],
            occupations: { 林业职工: 6, 护林员: 3, 专业技术人员: 1 },
          }),
        ),
      ],
    },
    {
      unit: '县工业园区',
      name: '中共青山县工业园区工作委员会',
      short: '县工业园区党工委',
      kind: 'working_committee',
      sector: 'agency',
      atSeat: true,
      firms: 12,
      branches: [
        ...departments('县工业园区管委会', 'agency', [['机关', 12, 2, 'agency']]),
        {
          unit: '工业园区小微企业',
          sector: 'private_enterprise',
          profile: 'private_enterprise',
          size: 8,
          joint: true,
        },
      ],
    },
    {
      unit: '县融媒体中心',
      short: '县融媒体中心党委',
      kind: 'party_committee',
      sector: 'institution',
      branches: departments('县融媒体中心', 'institution', [
        ['新闻采编', 10, 1, 'institution'],
        ['广播电视', 10, 0, 'institution'],
        ['行政综合', 8, 1, 'institution'],
      ]),
    },
  ];
}

/** What a 乡镇党委 holds besides its village branches: its own offices and its communities. */
export function townshipBranches(t: Township): BranchDef[] {
  return [
    {
      unit: `${t.name}机关`,
      sector: 'agency',
      profile: 'township_agency',
      size: t.seat ? 48 : 36,
      section: 8,
      township: t,
      leaderUnits: [`${t.name}党委`, `${t.name}人民政府`],
    },
    ...t.communities.map(
      (c): BranchDef => ({
        unit: `${t.name}${c.name}`,
        short: `${c.name}党支部`,
        sector: 'community',
        profile: 'community',
        size: 28,
        township: t,
        place: c,
      }),
    ),
  ];
}

export const FIRM_NAMES = words(`
  鑫源 宏达 华兴 绿源 金穗 恒通 永丰 青禾 兴旺 瑞丰 天成 佳和 润泽 博远 盛达 汇通 新源 康达 丰泽 嘉禾
  广源 正兴 利民 顺发 腾飞 振华 福瑞 远航 碧峰 晨光 昌盛 合力 长青 信诚 万通 聚丰 宏图 金山 祥和 益农`);
export const INDUSTRIES = words(`
  农业开发 建材 食品 茶业 竹木制品 物流 纺织 机械制造 矿业 中药材 生态养殖 酒业 电子 服饰 农产品加工
  新能源 建筑工程 商贸 水泥 米业`);
