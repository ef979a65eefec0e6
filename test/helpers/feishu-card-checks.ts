/**
 * The pieces the card JSON 2.0 check is built of (feishu-card-schema.ts): documented value kinds
 * (enumerations, pixel ranges, margins of 1, 2 or 4 values, spacing words), and objects that take
 * exactly the properties they list, as 2.0 refuses any other.
 */

export interface CardProblem {
  errCode: 200621 | 200550 | 200861;
  path: string;
  message: string;
}

export type Value = unknown;
export type Check = (value: Value, path: string, ctx: Ctx) => void;
export interface Ctx {
  problems: CardProblem[];
  elementIds: Set<string>;
  names: Set<string>;
  inForm: boolean;
  submits: number;
  tagged: number;
}

export const problem = (ctx: Ctx, path: string, message: string, errCode: CardProblem['errCode'] = 200621): void => {
  ctx.problems.push({ errCode, path, message });
};
export const isObject = (v: Value): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const oneOf =
  (...allowed: (string | number | boolean)[]): Check =>
  (v, path, ctx) => {
    if (!allowed.includes(v as string)) problem(ctx, path, `value ${JSON.stringify(v)} is not one of ${allowed.join('|')}`);
  };
export const string: Check = (v, path, ctx) => {
  if (typeof v !== 'string') problem(ctx, path, `expected a string, given ${JSON.stringify(v)}`);
};
export const boolean: Check = (v, path, ctx) => {
  if (typeof v !== 'boolean') problem(ctx, path, `expected a boolean, given ${JSON.stringify(v)}`);
};
export const int =
  (min: number, max: number): Check =>
  (v, path, ctx) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      problem(ctx, path, `expected an integer in [${min},${max}], given ${JSON.stringify(v)}`);
  };
export const object: Check = (v, path, ctx) => {
  if (!isObject(v)) problem(ctx, path, 'expected an object');
};
export const px = (v: string, min: number, max: number) => {
  const m = /^(-?\d+)px$/.exec(v);
  return (m && Number(m[1]) >= min && Number(m[1]) <= max) || v === '0';
};
/** `4px`, `4px 0`, or `4px 0 4px 0` (0 may go without its unit), each in [min,max]px. */
export const box =
  (min: number, max: number): Check =>
  (v, path, ctx) => {
    const parts = typeof v === 'string' ? v.trim().split(/\s+/) : [];
    if (![1, 2, 4].includes(parts.length) || !parts.every((p) => px(p, min, max)))
      problem(ctx, path, `${JSON.stringify(v)} is not 1, 2 or 4 values in [${min},${max}]px`);
  };
export const spacing: Check = (v, path, ctx) => {
  if (!(['small', 'medium', 'large', 'extra_large'].includes(v as string) || (typeof v === 'string' && /^\d+px$/.test(v) && px(v, 0, 99))))
    problem(ctx, path, `${JSON.stringify(v)} is not small|medium|large|extra_large or [0,99]px`);
};
export const widthOf =
  (words: string[], min: number, max: number): Check =>
  (v, path, ctx) => {
    if (!(words.includes(v as string) || (typeof v === 'string' && /^\d+px$/.test(v) && px(v, min, max))))
      problem(ctx, path, `${JSON.stringify(v)} is not ${words.join('|')} or [${min},${max}]px`);
  };
export const align = oneOf('left', 'center', 'right');
export const TEXT_SIZES = [
  'heading-0',
  'heading-1',
  'heading-2',
  'heading-3',
  'heading-4',
  'heading',
  'normal',
  'notation',
  'xxxx-large',
  'xxx-large',
  'xx-large',
  'x-large',
  'large',
  'medium',
  'small',
  'x-small',
];

/** An object with exactly these properties (and the required ones present). */
export function shape(props: Record<string, Check>, required: string[] = []): Check {
  return (v, path, ctx) => {
    if (!isObject(v)) return problem(ctx, path, 'expected an object');
    for (const key of required) if (!(key in v)) problem(ctx, `${path} -> ${key}`, 'required property missing');
    for (const [key, value] of Object.entries(v)) {
      const check = props[key];
      if (!check) problem(ctx, `${path} -> ${key}`, `property "${key}" is not supported`);
      else check(value, `${path} -> ${key}`, ctx);
    }
  };
}

/** A text element (`plain_text`, or `lark_md` where allowed), at most `max` characters when told. */
export const text = (opts: { tags?: string[]; max?: number; nonEmpty?: boolean; extra?: Record<string, Check> } = {}): Check => {
  const tags = opts.tags ?? ['plain_text'];
  return (v, path, ctx) => {
    shape({ tag: oneOf(...tags), content: string, element_id: string, i18n_content: object, ...opts.extra }, ['tag'])(v, path, ctx);
    if (!isObject(v)) return;
    ctx.tagged++;
    const content = v.content;
    if (typeof content === 'string' && opts.max !== undefined && [...content].length > opts.max)
      problem(ctx, `${path} -> content`, `longer than ${opts.max} characters`);
    if (opts.nonEmpty && content === '') problem(ctx, `${path} -> content`, 'must not be empty');
  };
};
