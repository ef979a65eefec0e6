import { mask } from '../digest/mask.js';
import type { Directory } from '../org/directory.js';

/** A JSON value with every text in it masked as the digest masks it (patient names, ID-card and mobile numbers). */
export function maskJson(value: unknown): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v)]));
  return value;
}

/** Someone named by their id, as the API shows people: their name when the directory knows them, else the id. */
export function personJson(directory: Directory, id: string | null): { id: string; name: string } | null {
  return id ? { id, name: directory.person(id)?.name ?? id } : null;
}

/** Minutes from `a` to `b`, to one decimal, as the digest gives MTTA and MTTR. */
export function minutesBetween(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / 6_000) / 10;
}
