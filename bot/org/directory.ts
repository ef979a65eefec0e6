import type { ChatPurpose, Org, OrgChat, OrgDepartment, OrgPerson, Role } from './schema.js';

export type Person = OrgPerson;

/** Read-only lookups over the organisation file, built once at start. */
export class Directory {
  private readonly people = new Map<string, OrgPerson>();
  private readonly departments = new Map<string, OrgDepartment>();
  private readonly groups = new Map<string, Org['itGroups'][number]>();

  constructor(readonly org: Org) {
    for (const p of org.people) this.people.set(p.id, p);
    for (const d of org.departments) this.departments.set(d.id, d);
    for (const g of org.itGroups) this.groups.set(g.id, g);
  }

  get botName(): string {
    return this.org.hospital.botName;
  }

  person(id: string): OrgPerson | undefined {
    return this.people.get(id);
  }

  allPeople(): readonly OrgPerson[] {
    return this.org.people;
  }

  department(id: string | null | undefined): OrgDepartment | undefined {
    return id ? this.departments.get(id) : undefined;
  }

  departmentName(id: string | null | undefined): string | undefined {
    return this.department(id)?.name;
  }

  itGroupName(id: string | null | undefined): string | undefined {
    return id ? this.groups.get(id)?.name : undefined;
  }

  chats(): readonly OrgChat[] {
    return this.org.chats;
  }

  chat(id: string): OrgChat | undefined {
    return this.org.chats.find((c) => c.id === id);
  }

  chatByPurpose(purpose: ChatPurpose): OrgChat | undefined {
    return this.org.chats.find((c) => c.purpose === purpose);
  }

  hasRole(person: OrgPerson, ...roles: Role[]): boolean {
    return person.roles.some((r) => roles.includes(r));
  }

  /** IT staff may claim and work tickets: engineers, group leaders and the IT director. */
  isItStaff(person: OrgPerson): boolean {
    return this.hasRole(person, 'it_engineer', 'it_group_leader', 'it_director');
  }

  /** How colleagues address someone in chat: engineers as 王工, others by full name. */
  callName(person: OrgPerson): string {
    if (person.callName) return person.callName;
    return this.isItStaff(person) ? `${[...person.name][0]}工` : person.name;
  }
}
