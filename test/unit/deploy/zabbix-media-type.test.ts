import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AlertPayloadError } from '../../../bot/alerts/payload.js';
import { PARSERS } from '../../../bot/alerts/parsers.js';
import { fixtureJson } from '../../helpers/alerts.js';
import { projectFile } from '../../helpers/deploy-files.js';

interface MediaType {
  name: string;
  type: string;
  parameters: { name: string; value?: string }[];
  script: string;
  message_templates: { event_source: string; operation_mode: string }[];
}

const exported = parse(projectFile('deploy/zabbix/helpdesk-media-type.yaml')) as { zabbix_export: { version: string; media_types: MediaType[] } };
const [media] = exported.zabbix_export.media_types;

/** Resolves the parameters as Zabbix would for one event: known macros replaced, unknown ones left as their text. */
function resolve(macros: Record<string, string>): string {
  const params: Record<string, string> = {};
  for (const p of media!.parameters) params[p.name] = (p.value ?? '').replace(/\{[^{}]+\}/g, (m) => macros[m] ?? m);
  return JSON.stringify(params);
}

/** Runs the script as Zabbix's engine does (the parameters in `value`), with HttpRequest and Zabbix stood in for. */
function run(value: string, status = 200, answer = '{"received":1}') {
  const sent: { url: string; body: string; headers: string[] }[] = [];
  class HttpRequest {
    headers: string[] = [];
    addHeader(h: string) {
      this.headers.push(h);
    }
    setProxy() {}
    post(url: string, body: string) {
      sent.push({ url, body, headers: this.headers });
      return answer;
    }
    getStatus() {
      return status;
    }
  }
  const context = vm.createContext({ value, HttpRequest, Zabbix: { log: () => undefined } });
  const outcome = (() => {
    try {
      return { returned: vm.runInContext(`(function (value) {\n${media!.script}\n})(value)`, context) as unknown };
    } catch (err) {
      return { thrown: String(err) };
    }
  })();
  return { ...outcome, sent };
}

/** The macros of the fixture's problem event, as its parameters name them. */
function macrosOf(event: Record<string, string>): Record<string, string> {
  const macros: Record<string, string> = {
    '{$HELPDESK.URL}': 'https://helpdesk.hospital.local/api/alerts/zabbix',
    '{$HELPDESK.TOKEN}': 'hd_zabbix-token',
    '{$ZABBIX.URL}': 'https://zabbix.hospital.local',
  };
  for (const p of media!.parameters) {
    const single = /^\{[^{}$]+\}$/.test(p.value ?? '');
    // An empty field of the fixture is a macro Zabbix could not resolve for this event.
    if (single && event[p.name]) macros[p.value!] = event[p.name]!;
  }
  return macros;
}

describe('the Zabbix media type in deploy/zabbix', () => {
  it('is a webhook media type in the 6.0 export format with problem, recovery and update messages', () => {
    expect(exported.zabbix_export.version).toBe('6.0');
    expect(media).toMatchObject({ name: 'IT help desk', type: 'WEBHOOK' });
    expect(media!.message_templates.map((m) => m.operation_mode)).toEqual(['PROBLEM', 'RECOVERY', 'UPDATE']);
  });

  it('posts exactly the JSON the help desk reads, with the token, and blanks the macros it could not resolve', () => {
    for (const file of ['zabbix-problem.json', 'zabbix-recovery.json']) {
      const event = fixtureJson(file);
      const { returned, sent } = run(resolve(macrosOf(event)));
      expect(returned).toBe('OK');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.url).toBe('https://helpdesk.hospital.local/api/alerts/zabbix');
      expect(sent[0]!.headers).toEqual(['Content-Type: application/json', 'Authorization: Bearer hd_zabbix-token']);
      const body = JSON.parse(sent[0]!.body);
      expect(body).toEqual(event);
      expect(PARSERS.zabbix(body, { source: 'zabbix', timeZone: 'Asia/Shanghai' })[0]).toMatchObject({ fingerprint: 'zabbix:23517', system: 'HIS' });
    }
  });

  it('fails, for Zabbix to show and retry, without its macros or when the help desk refuses', () => {
    expect(run(resolve({})).thrown).toMatch(/\{\$HELPDESK\.URL\}/);
    expect(run(resolve({ '{$HELPDESK.URL}': 'https://helpdesk.hospital.local/api/alerts/zabbix' })).thrown).toMatch(/\{\$HELPDESK\.TOKEN\}/);
    // The media type's Test button with nothing filled in: the help desk's reason comes back verbatim.
    const tested = resolve({ '{$HELPDESK.URL}': 'https://helpdesk.hospital.local/api/alerts/zabbix', '{$HELPDESK.TOKEN}': 'hd_x' });
    const { sent } = run(tested);
    let reason = '';
    try {
      PARSERS.zabbix(JSON.parse(sent[0]!.body), { source: 'zabbix', timeZone: 'Asia/Shanghai' });
    } catch (err) {
      reason = err instanceof AlertPayloadError ? err.message : String(err);
    }
    expect(reason).toMatch(/^event_id: /);
    const refused = run(tested, 400, JSON.stringify({ error: reason }));
    expect(refused.thrown).toContain('HTTP 400');
    expect(refused.thrown).toContain('event_id');
  });
});
