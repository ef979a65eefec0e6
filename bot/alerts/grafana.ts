import { readAlertGroup } from './alertmanager.js';
import { optionalText } from './payload.js';
import type { AlertParser } from './parsers.js';

/**
 * Grafana-managed alerting's webhook contact point: Alertmanager's group body with Grafana's
 * fields (`version: "1"`, `orgId`, `title`, `state`, per alert `silenceURL`, `dashboardURL`,
 * `panelURL`, `values` …). Its compatible variant sends Alertmanager's exact `version: "4"` body,
 * so both are read. The fingerprint is Grafana's (over hidden labels too): taken as given. The
 * contact point's Test button sends `TestAlert` with no system label: it is stored unmapped.
 */
export const grafana: AlertParser = (body, { source }) =>
  readAlertGroup(body, source, ['1', '4'], (alert, path) => optionalText(alert, 'generatorURL', path, 2000) ?? optionalText(alert, 'panelURL', path, 2000));
