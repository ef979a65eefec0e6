/**
 * Card JSON 2.0 as Feishu's documentation describes it (卡片 JSON 2.0 结构 and the components the bot
 * uses: div, markdown, column_set / column, button, form, input, select_static, chart, hr), checked
 * the way the platform does: 2.0 refuses a property it does not know and a value outside the
 * documented ones. Problems come back in Feishu's words for 230099 (ErrCode 200861 an unsupported
 * tag, 200550 an invalid chart spec, 200621 anything else in the JSON).
 */

import {
  type CardProblem,
  type Check,
  type Ctx,
  TEXT_SIZES,
  type Value,
  align,
  boolean,
  box,
  int,
  isObject,
  object,
  oneOf,
  problem,
  shape,
  spacing,
  string,
  text,
  widthOf,
} from './feishu-card-checks.js';

const common: Record<string, Check> = {
  tag: string,
  element_id: (v, path, ctx) => {
    if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(v))
      return problem(ctx, path, 'element_id: a letter, then letters, digits or _, at most 20');
    if (ctx.elementIds.has(v)) problem(ctx, path, `element_id "${v}" is not unique`);
    ctx.elementIds.add(v);
  },
  margin: box(-99, 99),
};
const layout: Record<string, Check> = {
  direction: oneOf('vertical', 'horizontal'),
  padding: box(0, 99),
  horizontal_spacing: spacing,
  horizontal_align: align,
  vertical_spacing: spacing,
  vertical_align: oneOf('top', 'center', 'bottom'),
};
const behaviors: Check = (v, path, ctx) => {
  if (!Array.isArray(v)) return problem(ctx, path, 'expected an array');
  v.forEach((b, i) => {
    const at = `${path} -> [${i}]`;
    if (isObject(b) && b.type === 'callback') shape({ type: string, value: object }, ['value'])(b, at, ctx);
    else if (isObject(b) && b.type === 'open_url')
      shape({ type: string, default_url: string, android_url: string, ios_url: string, pc_url: string })(b, at, ctx);
    else problem(ctx, at, 'behavior type is not callback|open_url');
  });
};
/** A form field's `name`: required in a form, unique in the card; and `required` only there. */
const formField = (v: Record<string, Value>, path: string, ctx: Ctx, needsName: boolean) => {
  if (!ctx.inForm) {
    for (const key of ['required', 'form_action_type']) if (key in v) problem(ctx, `${path} -> ${key}`, `"${key}" only works inside a form`);
    return;
  }
  if (!needsName) return;
  if (typeof v.name !== 'string' || !v.name) return problem(ctx, `${path} -> name`, 'a component in a form needs a name');
  if (ctx.names.has(v.name)) problem(ctx, `${path} -> name`, `name "${v.name}" is not unique in the card`);
  ctx.names.add(v.name);
};

const ELEMENTS: Record<string, Check> = {
  div: shape({
    ...common,
    width: widthOf(['fill', 'auto'], 16, 999),
    icon: object,
    text: text({
      tags: ['plain_text', 'lark_md'],
      extra: { text_size: oneOf(...TEXT_SIZES), text_color: string, text_align: align, lines: int(1, 999) },
    }),
  }),
  markdown: shape({ ...common, content: string, text_align: align, text_size: oneOf(...TEXT_SIZES), icon: object }, ['content']),
  hr: shape(common),
  column_set: shape(
    {
      ...common,
      horizontal_spacing: spacing,
      horizontal_align: align,
      flex_mode: oneOf('none', 'stretch', 'flow', 'bisect', 'trisect'),
      background_style: string,
      action: object,
      columns: (v, path, ctx) => {
        if (!Array.isArray(v)) return problem(ctx, path, 'expected an array of columns');
        v.forEach((c, i) => column(c, `${path} -> [${i}](tag: column)`, ctx));
      },
    },
    ['columns'],
  ),
  button: (v, path, ctx) => {
    shape(
      {
        ...common,
        type: oneOf('default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'),
        size: oneOf('tiny', 'small', 'medium', 'large'),
        width: widthOf(['default', 'fill'], 100, 99_999),
        text: text({ max: 100 }),
        icon: object,
        hover_tips: text(),
        disabled: boolean,
        disabled_tips: text(),
        confirm: shape({ title: text(), text: text() }, ['title', 'text']),
        behaviors,
        name: string,
        form_action_type: oneOf('submit', 'reset'),
      },
      ['behaviors'],
    )(v, path, ctx);
    if (!isObject(v)) return;
    formField(v, path, ctx, true);
    if (ctx.inForm && !v.form_action_type) problem(ctx, path, 'a button in a form needs form_action_type');
    if (v.form_action_type === 'submit') ctx.submits++;
  },
  input: (v, path, ctx) => {
    shape({
      ...common,
      name: string,
      required: boolean,
      disabled: boolean,
      disabled_tips: text(),
      placeholder: text({ max: 100, nonEmpty: true }),
      default_value: string,
      width: widthOf(['default', 'fill'], 100, 99_999),
      max_length: int(1, 1000),
      input_type: oneOf('text', 'multiline_text', 'password'),
      show_icon: boolean,
      rows: int(1, 99),
      auto_resize: boolean,
      max_rows: int(1, 99),
      label: text(),
      label_position: oneOf('top', 'left'),
      value: () => {},
      confirm: object,
      behaviors,
    })(v, path, ctx);
    if (isObject(v)) formField(v, path, ctx, true);
  },
  select_static: (v, path, ctx) => {
    shape({
      ...common,
      type: oneOf('default', 'text'),
      name: string,
      required: boolean,
      disabled: boolean,
      initial_option: string,
      initial_index: int(0, 999),
      placeholder: text({ max: 100 }),
      width: widthOf(['default', 'fill'], 100, 99_999),
      behaviors,
      confirm: object,
      options: (o, at, c) => {
        if (!Array.isArray(o)) return problem(c, at, 'expected an array of options');
        const values = new Set<unknown>();
        o.forEach((opt, i) => {
          shape({ text: text(), value: string, icon: object }, ['text', 'value'])(opt, `${at} -> [${i}]`, c);
          if (isObject(opt) && values.has(opt.value)) problem(c, `${at} -> [${i}] -> value`, 'option values must differ');
          if (isObject(opt)) values.add(opt.value);
        });
      },
    })(v, path, ctx);
    if (isObject(v)) formField(v, path, ctx, true);
  },
  chart: shape(
    {
      ...common,
      aspect_ratio: oneOf('1:1', '2:1', '4:3', '16:9'),
      color_theme: oneOf('brand', 'rainbow', 'complementary', 'converse', 'primary'),
      chart_spec: chartSpec,
      preview: boolean,
      height: widthOf(['auto'], 1, 999),
    },
    ['chart_spec'],
  ),
  form: (v, path, ctx) => {
    if (ctx.inForm) return problem(ctx, path, 'a form cannot be inside another form');
    shape({ ...common, ...layout, name: string, elements: () => {} }, ['name', 'elements'])(v, path, ctx);
    if (!isObject(v)) return;
    if (path.split(' -> ').length > 4) problem(ctx, path, 'a form may only be put at the root of the body');
    if (typeof v.name === 'string') formField({ ...v }, path, { ...ctx, inForm: true }, true);
    const inner: Ctx = { ...ctx, inForm: true, submits: 0 };
    elements(v.elements, `${path} -> elements`, inner);
    ctx.tagged = inner.tagged;
    if (inner.submits === 0) problem(ctx, path, 'a form needs a submit button');
  },
};

/** The VChart spec as the chart component checks it: a type, and for a common chart its data, series and axes bound together. */
function chartSpec(v: Value, path: string, ctx: Ctx): void {
  const bad = (message: string) => problem(ctx, path, message, 200550);
  if (!isObject(v) || typeof v.type !== 'string') return bad('chart spec needs a type');
  if (v.type !== 'common') return;
  if (!Array.isArray(v.data)) return bad('data: Invalid type. Expected: array');
  if (!Array.isArray(v.series)) return bad('series: Invalid type. Expected: array');
  if (!Array.isArray(v.axes)) return bad('axes: Invalid type. Expected: array');
  const series = v.series as Value[];
  series.forEach((s, i) => {
    if (!isObject(s) || typeof s.type !== 'string') bad(`series[${i}] needs a type`);
    else if (s.dataIndex !== undefined && !(Number.isInteger(s.dataIndex) && (s.dataIndex as number) < (v.data as Value[]).length))
      bad(`series[${i}].dataIndex names no data`);
  });
  (v.axes as Value[]).forEach((a, i) => {
    if (!isObject(a) || !['left', 'right', 'top', 'bottom', 'z', 'angle', 'radius'].includes(a.orient as string))
      return bad(`axes[${i}].orient is not left|right|top|bottom|z|angle|radius`);
    const bound = a.seriesIndex === undefined ? [] : Array.isArray(a.seriesIndex) ? a.seriesIndex : [a.seriesIndex];
    for (const index of bound)
      if (!Number.isInteger(index) || index < 0 || index >= series.length) bad(`axes[${i}].seriesIndex ${JSON.stringify(index)} names no series`);
  });
}

function column(v: Value, path: string, ctx: Ctx): void {
  shape({
    ...common,
    ...layout,
    background_style: string,
    width: widthOf(['auto', 'weighted'], 16, 600),
    weight: int(1, 5),
    action: object,
    elements: (e, at, c) => elements(e, at, c),
  })(v, path, ctx);
  if (isObject(v)) {
    ctx.tagged++;
    if (v.tag !== 'column') problem(ctx, `${path} -> tag`, 'a column_set holds columns (tag: column)');
  }
}

function elements(v: Value, path: string, ctx: Ctx): void {
  if (!Array.isArray(v)) return problem(ctx, path, 'expected an array of elements');
  v.forEach((el, i) => {
    const tag = isObject(el) ? el.tag : undefined;
    const at = `${path} -> [${i}](tag: ${String(tag)})`;
    const check = typeof tag === 'string' ? ELEMENTS[tag] : undefined;
    if (!check) return problem(ctx, at, `unsupported tag ${String(tag)}`, 200861);
    ctx.tagged++;
    check(el, at, ctx);
  });
}

const TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];

/** Everything wrong with a card, against card JSON 2.0 and its limit of 200 elements. */
export type { CardProblem } from './feishu-card-checks.js';

export function cardProblems(card: Value): CardProblem[] {
  const ctx: Ctx = { problems: [], elementIds: new Set(), names: new Set(), inForm: false, submits: 0, tagged: 0 };
  if (!isObject(card) || card.schema !== '2.0')
    return [{ errCode: 200621, path: 'ROOT -> schema', message: 'this stand-in takes card JSON 2.0 only ("schema": "2.0")' }];
  shape({
    schema: string,
    config: shape({
      streaming_mode: boolean,
      streaming_config: object,
      summary: object,
      locales: () => {},
      enable_forward: boolean,
      update_multi: (v, path, c) => {
        if (v !== true) problem(c, path, 'card JSON 2.0 only supports update_multi: true');
      },
      width_mode: oneOf('default', 'compact', 'fill'),
      use_custom_translation: boolean,
      enable_forward_interaction: boolean,
      style: object,
    }),
    card_link: shape({ url: string, pc_url: string, ios_url: string, android_url: string }),
    header: shape(
      {
        title: text({ tags: ['plain_text', 'lark_md'] }),
        subtitle: text({ tags: ['plain_text', 'lark_md'] }),
        text_tag_list: () => {},
        i18n_text_tag_list: object,
        template: oneOf(...TEMPLATES),
        icon: object,
        padding: box(0, 99),
      },
      ['title'],
    ),
    body: shape({ ...layout, elements: (v, path, c) => elements(v, path, c) }),
  })(card, 'ROOT', ctx);
  if (ctx.tagged > 200) ctx.problems.push({ errCode: 200621, path: 'ROOT', message: `${ctx.tagged} elements, more than the 200 a card holds` });
  return ctx.problems;
}
