/**
 * Imports and exports of the county's own spreadsheets (党员花名册, 党组织台账): the use cases the
 * CLI, the HTTP routes and the benchmarks call.
 */
export { type ExportOptions, exportMembers } from './export.ts';
export { importMembers } from './members-import.ts';
export { importOrgs } from './orgs-import.ts';
export type { ImportOptions, ImportReport, RowError } from './report.ts';
export { MAX_REPORTED_ERRORS } from './report.ts';
