import { t } from '../i18n/zh.js';
import type { TableLine } from '../imports/table-file.js';
import type { Directory } from '../org/directory.js';
import { departmentNamed } from '../people/departments.js';
import { calendarDayOf, normaliseAssetNumber } from './number.js';

/**
 * An asset register file (CSV or xlsx, read by bot/imports/table-file.ts): a header line naming
 * the columns in Chinese or English, in any order, or no header and the columns in the order of
 * ASSET_COLUMNS. Every line is checked against the organisation file; a mistake names its line.
 */

/** The register's columns, in the order a file without a header line gives them. */
export const ASSET_COLUMNS = [
  'number',
  'kind',
  'model',
  'department',
  'location',
  'userName',
  'purchasedOn',
  'warrantyUntil',
  'vendor',
  'vendorContact',
] as const;
export type AssetColumn = (typeof ASSET_COLUMNS)[number];

/** The names a header may give each column (compared without case, spaces, hyphens or underscores); the first is the one messages use. */
const HEADERS: Record<AssetColumn, readonly string[]> = {
  number: ['资产编号', '编号', '资产号', '设备编号', '固定资产编号', 'number', 'asset', 'assetnumber', 'assetno'],
  kind: ['类型', '资产类型', '设备类型', '类别', 'kind', 'type'],
  model: ['型号', '品牌型号', '规格型号', 'model'],
  department: ['科室', '使用科室', '部门', 'department', 'dept'],
  location: ['位置', '存放位置', '存放地点', '地点', 'location'],
  userName: ['使用人', '责任人', '保管人', 'user', 'username'],
  purchasedOn: ['购置日期', '购买日期', '购入日期', 'purchasedon', 'purchasedate', 'purchased'],
  warrantyUntil: ['保修截止', '保修截止日期', '保修至', '保修期至', '保修到期', 'warrantyuntil', 'warranty', 'warrantyend'],
  vendor: ['厂商', '供应商', '生产厂商', 'vendor', 'supplier'],
  vendorContact: ['厂商联系方式', '厂商电话', '售后电话', '服务电话', '售后联系方式', 'vendorcontact', 'servicecontact', 'contact'],
};

/** How many cells of a sheet's row are read: the columns and any a register keeps besides them. */
export const ASSET_SHEET_COLUMNS = 40;
/** The longest text a cell may hold. */
const MAX_TEXT = 200;

const fold = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]/g, '');
const columnNamed = (name: string) => ASSET_COLUMNS.find((c) => HEADERS[c].includes(fold(name)));
/** A cell as a message quotes it: at most 40 characters. */
const quoted = (text: string) => ([...text].length > 40 ? `${[...text].slice(0, 40).join('')}…` : text);
/** A column's name in messages: 资产编号, 保修截止 … */
export const columnLabel = (column: AssetColumn) => HEADERS[column][0]!;

/** One line of a register file as written: each column the file has, by its name (a column the file lacks is absent). */
export interface AssetLine {
  line: number;
  values: Partial<Record<AssetColumn, string>>;
}

export interface AssetProblem {
  line: number;
  reason: string;
}

/** The lines of a register file, and the names of the header's columns that are none of the register's (left out). */
export interface AssetTable {
  lines: AssetLine[];
  ignored: string[];
  problems: AssetProblem[];
}

/** The register lines of a table file's lines: a header line (any cell naming a column) maps the columns, else they stand in ASSET_COLUMNS order. */
export function assetLines(table: readonly TableLine[]): AssetTable {
  const [first, ...rest] = table;
  if (!first) return { lines: [], ignored: [], problems: [] };
  const header = first.cells.some((c) => columnNamed(c) !== undefined);
  const problems: AssetProblem[] = [];
  const ignored: string[] = [];
  const columns: (AssetColumn | undefined)[] = header ? first.cells.map(columnNamed) : [...ASSET_COLUMNS];
  if (header) {
    ignored.push(...first.cells.filter((name, i) => name && !columns[i]));
    const twice = ASSET_COLUMNS.find((c) => columns.filter((x) => x === c).length > 1);
    if (twice) problems.push({ line: first.line, reason: t('asset.import.columnTwice', { column: columnLabel(twice) }) });
    // Without the number column no line can be read: the header alone is the mistake.
    if (!columns.includes('number')) return { lines: [], ignored, problems: [...problems, { line: first.line, reason: t('asset.import.noNumberColumn') }] };
  }
  const lines: AssetLine[] = [];
  for (const { line, cells } of header ? rest : table) {
    const values: Partial<Record<AssetColumn, string>> = {};
    columns.forEach((column, i) => {
      if (column) values[column] = cells[i] ?? '';
    });
    // A file without a header has no name for a cell past the last column.
    const extra = header ? 0 : cells.slice(columns.length).filter(Boolean).length;
    if (extra > 0) problems.push({ line, reason: t('asset.import.extraCells', { n: ASSET_COLUMNS.length }) });
    else lines.push({ line, values });
  }
  return { lines, ignored, problems };
}

/** What a line sets: a column the file has is set (null when its cell is empty); a column it lacks is left as it was. */
export interface AssetFields {
  kind?: string | null;
  model?: string | null;
  departmentId?: string | null;
  location?: string | null;
  userName?: string | null;
  purchasedOn?: string | null;
  warrantyUntil?: string | null;
  vendor?: string | null;
  vendorContact?: string | null;
}

/** A line that passed every check. */
export interface CheckedAsset {
  line: number;
  number: string;
  fields: AssetFields;
}

const TEXT_COLUMNS = ['kind', 'model', 'location', 'userName', 'vendor', 'vendorContact'] as const;

/**
 * Checks every line: an asset number in the form intake reads (PC-0231), given once in the file; a
 * department of the organisation file (by id, name or alias); real dates, the warranty not ending
 * before the purchase; texts of at most 200 characters. Every mistake of a line is named.
 */
export function checkAssets(lines: readonly AssetLine[], directory: Directory): { assets: CheckedAsset[]; problems: AssetProblem[] } {
  const assets: CheckedAsset[] = [];
  const problems: AssetProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of lines) {
    const reasons: string[] = [];
    const written = values.number ?? '';
    const number = normaliseAssetNumber(written);
    if (!written) reasons.push(t('asset.import.noNumber'));
    else if (!number) reasons.push(t('asset.import.badNumber', { number: quoted(written) }));
    else if (seen.has(number)) reasons.push(t('asset.import.twice', { number, first: seen.get(number)! }));
    else seen.set(number, line);
    const fields: AssetFields = {};
    for (const column of TEXT_COLUMNS) {
      const value = values[column];
      if (value === undefined) continue;
      if ([...value].length > MAX_TEXT) reasons.push(t('asset.import.tooLong', { column: columnLabel(column), n: MAX_TEXT }));
      fields[column] = value || null;
    }
    if (values.department !== undefined) {
      const named = values.department;
      const department = named ? (directory.department(named) ?? departmentNamed(directory, named)) : undefined;
      if (named && !department) reasons.push(t('asset.import.department', { department: quoted(named) }));
      fields.departmentId = department?.id ?? null;
    }
    for (const column of ['purchasedOn', 'warrantyUntil'] as const) {
      const value = values[column];
      if (value === undefined) continue;
      const day = value ? calendarDayOf(value) : null;
      if (day === undefined) reasons.push(t('asset.import.badDate', { column: columnLabel(column), date: quoted(value) }));
      fields[column] = day ?? null;
    }
    if (fields.purchasedOn && fields.warrantyUntil && fields.warrantyUntil < fields.purchasedOn) {
      reasons.push(t('asset.import.warrantyBeforePurchase', { warranty: fields.warrantyUntil, purchased: fields.purchasedOn }));
    }
    if (reasons.length > 0) problems.push({ line, reason: reasons.join('；') });
    else assets.push({ line, number: number!, fields });
  }
  problems.sort((a, b) => a.line - b.line);
  return { assets: problems.length > 0 ? [] : assets, problems };
}

/** A register file read and checked: the lines to import, or what is wrong, line by line. */
export function readAssetTable(table: readonly TableLine[], directory: Directory): { assets: CheckedAsset[]; ignored: string[]; problems: AssetProblem[] } {
  const read = assetLines(table);
  const checked = checkAssets(read.lines, directory);
  const problems = [...read.problems, ...checked.problems].sort((a, b) => a.line - b.line);
  return { assets: problems.length > 0 ? [] : checked.assets, ignored: read.ignored, problems };
}
