import type { Platform } from '../chat/model.js';
import type { Directory } from '../org/directory.js';
import type { Org, OrgDepartment } from '../org/schema.js';

/** A directory department's name as the file would write it (full-width folded, spaces gone). */
const plain = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

/**
 * The organisation file's department that a person's directory departments stand for: the first
 * whose platform id the file declares (`departments[].ids.<platform>`), else the first whose name
 * is a department's name or alias. Undefined when none is known.
 */
export function departmentFor(org: Org, platform: Platform, departments: readonly { id: string; name?: string }[]): string | undefined {
  const declared = platform === 'feishu' || platform === 'wecom' ? platform : undefined;
  if (declared) {
    for (const d of departments) {
      const found = org.departments.find((x) => x.ids?.[declared]?.includes(d.id));
      if (found) return found.id;
    }
  }
  for (const d of departments) {
    const found = d.name ? byName(org.departments, d.name) : undefined;
    if (found) return found.id;
  }
  return undefined;
}

function byName(departments: readonly OrgDepartment[], name: string): OrgDepartment | undefined {
  const wanted = plain(name);
  return departments.find((x) => plain(x.name) === wanted || x.aliases.some((a) => plain(a) === wanted));
}

/** What people add around a department's name when asked for it: 我是心内科的, 在检验科。 */
const AROUND = /^(?:我们?(?:是|在)?|在|是)?(.+?)(?:的人|的|科室)?$/;

/**
 * The department a typed answer names (心内科, 我是心内科的, 急诊): only a message that is little
 * more than a department's name or alias, so a report that names a department is not taken for one.
 */
export function departmentNamed(directory: Directory, text: string): OrgDepartment | undefined {
  const clean = plain(text).replace(/[。．.!！~～]+$/u, '');
  if (!clean || [...clean].length > 12) return undefined;
  const exact = byName(directory.org.departments, clean);
  if (exact) return exact;
  const core = AROUND.exec(clean)?.[1];
  return core ? byName(directory.org.departments, core) : undefined;
}
