import { RememberedPeople } from './remembered.js';
import type { ChatPurpose, Org, OrgChat, OrgDepartment, OrgPerson, Role } from './schema.js';

/**
 * Someone the bot knows: a person of the organisation file, or one remembered from the platform's
 * directory (`source: 'directory'`: the reporter role only, and no department until it is known).
 */
export type Person = Omit<OrgPerson, 'department'> & { department: string | undefined; source?: 'directory' };

/** A platform identity the organisation file declares for a person (the simulator uses the person id). */
export interface DeclaredIdentity {
  platform: string;
  platformUserId: string;
}

/** The platform identities the organisation file declares for a person, in the order they are stored. */
export function declaredIdentities(person: Pick<Person, 'id' | 'ids'>): DeclaredIdentity[] {
  const ids = [{ platform: 'simulator', platformUserId: person.id }];
  const feishu = person.ids?.feishu;
  // One value given twice (an open_id written as the user_id too) is one identity.
  for (const value of new Set([feishu?.open_id, feishu?.user_id, feishu?.union_id])) {
    if (value) ids.push({ platform: 'feishu', platformUserId: value });
  }
  if (person.ids?.wecom) ids.push({ platform: 'wecom', platformUserId: person.ids.wecom.userid });
  if (person.ids?.wechaty) ids.push({ platform: 'wechaty', platformUserId: person.ids.wechaty.id });
  return ids;
}

/** Where an organisation chat lives on each platform (the simulator uses the chat id). */
export function declaredBindings(chat: OrgChat): { platform: string; platformChatId: string }[] {
  return [
    { platform: 'simulator', platformChatId: chat.id },
    ...Object.entries(chat.ids ?? {}).flatMap(([platform, platformChatId]) => (platformChatId ? [{ platform, platformChatId: String(platformChatId) }] : [])),
  ];
}

const key = (platform: string, id: string) => `${platform}\u0000${id}`;

/** Read-only lookups over the organisation file, built once at start. */
export class Directory {
  private readonly people = new Map<string, OrgPerson>();
  private readonly departments = new Map<string, OrgDepartment>();
  private readonly groups = new Map<string, Org['itGroups'][number]>();
  private readonly chatsById = new Map<string, OrgChat>();
  /** Platform chat → organisation chat; person's platform id → person: what the file declares. */
  private readonly bound = new Map<string, OrgChat>();
  private readonly identified = new Map<string, OrgPerson>();

  /** People remembered from the platforms' directories: shared with the directory of a reloaded file. */
  private remembered = new RememberedPeople();

  constructor(readonly org: Org) {
    for (const p of org.people) {
      this.people.set(p.id, p);
      for (const i of declaredIdentities(p))
        if (!this.identified.has(key(i.platform, i.platformUserId))) this.identified.set(key(i.platform, i.platformUserId), p);
    }
    for (const d of org.departments) this.departments.set(d.id, d);
    for (const g of org.itGroups) this.groups.set(g.id, g);
    for (const c of org.chats) {
      if (!this.chatsById.has(c.id)) this.chatsById.set(c.id, c);
      for (const b of declaredBindings(c)) if (!this.bound.has(key(b.platform, b.platformChatId))) this.bound.set(key(b.platform, b.platformChatId), c);
    }
  }

  /**
   * The organisation chat a platform chat is, as the file binds it (the database's chat bindings
   * hold a copy of these, rewritten at every start, beside those an admin made from chat: see
   * bindings/lookup.ts for both).
   */
  chatOn(platform: string, platformChatId: string): OrgChat | undefined {
    return this.bound.get(key(platform, platformChatId));
  }

  /** The person the file gives this platform id; people recognized by mobile or email are not here. */
  declaredPerson(platform: string, platformUserId: string): OrgPerson | undefined {
    return this.identified.get(key(platform, platformUserId));
  }

  get botName(): string {
    return this.org.hospital.botName;
  }

  /** A person of the file, or one remembered from a platform's directory. */
  person(id: string): Person | undefined {
    return this.people.get(id) ?? this.remembered.get(id);
  }

  /** The people remembered from the platforms' directories (not in the file). */
  get rememberedPeople(): RememberedPeople {
    return this.remembered;
  }

  /** Reads the remembered people of another directory (the bot's, when a file is reloaded). */
  remembering(people: RememberedPeople): this {
    this.remembered = people;
    return this;
  }

  /** The people of the organisation file (not those remembered from a directory). */
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
    return this.chatsById.get(id);
  }

  chatByPurpose(purpose: ChatPurpose): OrgChat | undefined {
    return this.org.chats.find((c) => c.purpose === purpose);
  }

  /** The IT director (信息科主任), the last step of every escalation. */
  director(): OrgPerson | undefined {
    return this.org.people.find((p) => this.hasRole(p, 'it_director'));
  }

  hasRole(person: Person, ...roles: Role[]): boolean {
    return person.roles.some((r) => roles.includes(r));
  }

  /** Whether a person answers for what someone reported: it is theirs, or they head the reporter's department. */
  speaksFor(person: Person, reporterId: string): boolean {
    if (person.id === reporterId) return true;
    const reporter = this.person(reporterId);
    return !!reporter && this.department(reporter.department)?.head === person.id;
  }

  /** IT staff may claim and work tickets: engineers, group leaders and the IT director. */
  isItStaff(person: Person): boolean {
    return this.hasRole(person, 'it_engineer', 'it_group_leader', 'it_director');
  }

  /** How colleagues address someone in chat: the IT director as 黄主任, engineers as 王工, others by full name. */
  callName(person: Person): string {
    if (person.callName) return person.callName;
    if (person.roles.includes('it_director')) return `${[...person.name][0]}主任`;
    return this.isItStaff(person) ? `${[...person.name][0]}工` : person.name;
  }
}
