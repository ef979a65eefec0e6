import type { MonitoringSettings } from '../org/monitoring-schema.js';
import type { OrgSystem, Priority } from '../org/schema.js';
import type { MappedAlert, NormalisedAlert } from './types.js';

/** Labels that carry the host an alert is about, tried after the system labels. */
const HOST_LABELS = ['instance', 'host', 'hostname', 'host_name'];

/**
 * Finds the organisation's systems and priorities for alerts: the system from the configured
 * labels (`systemLabels`, then the sender's own system field, then the host), each value looked up
 * in `monitoring.systems`, then among the systems' ids, names and keywords (whole values, ignoring
 * case); the priority from the severity word or number (`monitoring.severities`, else `default`).
 */
export class AlertMapping {
  private readonly byValue = new Map<string, string>();

  constructor(
    private readonly monitoring: MonitoringSettings,
    systems: readonly OrgSystem[],
  ) {
    const add = (value: string, id: string) => {
      const key = value.trim().toLowerCase();
      if (key && !this.byValue.has(key)) this.byValue.set(key, id);
    };
    for (const [value, id] of Object.entries(monitoring.systems)) add(value, id);
    for (const s of systems) add(s.id, s.id);
    for (const s of systems) add(s.name, s.id);
    for (const s of systems) for (const k of s.keywords) add(k, s.id);
  }

  systemOf(alert: NormalisedAlert): string | null {
    const candidates: string[] = [];
    for (const name of this.monitoring.systemLabels) if (alert.labels[name]) candidates.push(alert.labels[name]);
    if (alert.system) candidates.push(alert.system);
    for (const name of HOST_LABELS) {
      const host = alert.labels[name];
      if (!host) continue;
      candidates.push(host);
      // Prometheus's instance is host:port.
      const bare = host.replace(/:\d+$/, '');
      if (bare !== host) candidates.push(bare);
    }
    for (const value of candidates) {
      const id = this.byValue.get(value.trim().toLowerCase());
      if (id) return id;
    }
    return null;
  }

  priorityOf(severity: string): Priority {
    const { severities } = this.monitoring;
    return (severities[severity.trim().toLowerCase()] ?? severities.default ?? 'P3') as Priority;
  }

  map(alert: NormalisedAlert): MappedAlert {
    return { ...alert, systemId: this.systemOf(alert), priority: this.priorityOf(alert.severity) };
  }
}
