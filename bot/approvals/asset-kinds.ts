import type { Asset } from '../../generated/prisma/client.js';
import { holdsStorageMedia } from '../assets/lifecycle.js';
import { normaliseAssetNumber } from '../assets/number.js';
import type { CardField, CardInput } from '../chat/model.js';
import type { Tx } from '../db/client.js';
import { scoped, t } from '../i18n/zh.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Directory, Person } from '../org/directory.js';
import { check, optional, refuse, text, type ApprovalKind, type FormOpening, type StoredContext } from './form.js';

/**
 * Requests about an asset of the register: a transfer (资产调拨) to another department, and a
 * scrapping (资产报废). The asset number is checked against the register when the form is opened
 * for it and again when it is submitted: an unknown or scrapped asset, or one with another such
 * request in progress, is refused with nothing created. What the register says of the asset (its
 * department, location, user, kind and model) is kept with the request, for its cards and its chain.
 */

const R = scoped('approvalForm.register');
const T = scoped('approvalForm.transfer');
const S = scoped('approvalForm.scrap');

/** The requests that change an asset of the register; one at a time per asset. */
export const ASSET_REQUESTS: readonly ApprovalType[] = ['asset_transfer', 'asset_scrap'];

const assetInput = (preset?: Record<string, string>): CardInput[] =>
  preset?.asset ? [] : [{ name: 'asset', label: R('asset'), kind: 'input', required: true, placeholder: R('assetHint') }];

/** The asset number as the register keeps it, or a refusal naming what was typed. */
function assetNumber(written: string): string {
  const number = normaliseAssetNumber(written);
  if (!number) throw refuse(R('badNumber', { number: written.slice(0, 40) }));
  return number;
}

const departmentText = (d: Directory, id: string | undefined) => (id ? (d.departmentName(id) ?? id) : R('noDepartment'));
const orNone = (value: string | null | undefined) => value || R('none');
const device = (a: Pick<Asset, 'kind' | 'model'>) => [a.kind, a.model].filter(Boolean).join(' ');

/** An active asset of the register with no other transfer or scrapping in progress, or a refusal. */
async function requestable(tx: Tx, written: string, type: ApprovalType): Promise<Asset> {
  const number = assetNumber(written);
  const asset = await tx.asset.findUnique({ where: { number } });
  if (!asset) throw refuse(R('unknown', { number }));
  const kind = t(`approval.kind.${type}`);
  if (asset.status !== 'active') throw refuse(R('scrapped', { number, kind }));
  const open = await tx.approval.findMany({
    where: { status: 'pending', type: { in: [...ASSET_REQUESTS] } },
    select: { number: true, type: true, data: true },
  });
  const busy = open.find((a) => (a.data as Record<string, unknown> | null)?.asset === number);
  if (busy) throw refuse(R('inProgress', { number, kind: t(`approval.kind.${busy.type as ApprovalType}`), request: busy.number }));
  return asset;
}

/** What the register says of the asset, kept with the request. */
const fromRegister = (asset: Asset) => ({
  asset: asset.number,
  device: device(asset),
  department: asset.departmentId ?? '',
  location: asset.location ?? '',
  user: asset.userName ?? '',
});

/** The card's lines about the asset, from what the request keeps. */
const assetFields = (f: Record<string, string>, d: Directory): CardField[] => [
  { label: R('assetField'), value: [f.asset, f.device].filter(Boolean).join(' ') },
  { label: R('department'), value: departmentText(d, f.department) },
  { label: R('location'), value: orNone(f.location) },
  { label: R('user'), value: orNone(f.user) },
];

const mayMove = (person: Person, d: Directory) => d.isItStaff(person) || d.hasRole(person, 'asset_office');

const transfer: ApprovalKind = {
  type: 'asset_transfer',
  label: t('approval.kind.asset_transfer'),
  inputs: (directory, _requester, _about, preset) => [
    ...assetInput(preset),
    {
      name: 'toDepartment',
      label: T('toDepartment'),
      kind: 'select',
      required: true,
      options: directory.org.departments.filter((x) => x.id !== preset?.department).map((x) => ({ label: x.name, value: x.id })),
    },
    { name: 'toLocation', label: T('location'), kind: 'input', required: true, placeholder: T('locationHint') },
    { name: 'toUser', label: T('user'), kind: 'input', required: true },
    { name: 'reason', label: T('reason'), kind: 'textarea', required: true },
  ],
  parse: (raw, c) => {
    const form = check(
      {
        asset: text(R('asset'), 40),
        toDepartment: text(T('toDepartment'), 64),
        toLocation: text(T('location'), 200),
        toUser: text(T('user'), 200),
        reason: text(T('reason')),
      },
      raw,
    );
    form.asset = assetNumber(form.asset!);
    if (!c.directory.department(form.toDepartment)) throw refuse(T('pickDepartment', { label: T('toDepartment') }));
    return form;
  },
  against: async (form, c) => {
    const asset = await requestable(c.tx, form.asset!, 'asset_transfer');
    const { directory, requester } = c;
    const number = asset.number;
    if (asset.departmentId === form.toDepartment) throw refuse(T('sameDepartment', { number, department: departmentText(directory, form.toDepartment) }));
    const party = requester.department === asset.departmentId || requester.department === form.toDepartment || mayMove(requester, directory);
    if (!party) {
      throw refuse(
        T('notParty', { number, from: departmentText(directory, asset.departmentId ?? undefined), to: departmentText(directory, form.toDepartment) }),
      );
    }
    return { ...form, ...fromRegister(asset) };
  },
  opening: async (about, c) => opened(await requestable(c.tx, about, 'asset_transfer'), c.directory),
  title: (f, d) => T('title', { number: f.asset!, from: departmentText(d, f.department), to: departmentText(d, f.toDepartment) }),
  fields: (f, d) => [
    ...assetFields(f, d),
    { label: T('to'), value: T('placement', { department: departmentText(d, f.toDepartment), location: f.toLocation!, user: f.toUser! }) },
    { label: T('reason'), value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.asset_transfer,
};

const MEDIA = ['yes', 'no'] as const;

const scrap: ApprovalKind = {
  type: 'asset_scrap',
  label: t('approval.kind.asset_scrap'),
  inputs: (_directory, _requester, _about, preset) => [
    ...assetInput(preset),
    { name: 'reason', label: S('reason'), kind: 'textarea', required: true, placeholder: S('reasonHint') },
    // An asset the register shows to hold storage media is not asked about: its media are destroyed.
    ...(preset?.media === 'yes'
      ? []
      : [
          {
            name: 'media',
            label: S('media'),
            kind: 'select' as const,
            required: true,
            options: [
              { label: S('mediaYes'), value: 'yes' },
              { label: S('mediaNo'), value: 'no' },
            ],
          },
        ]),
  ],
  parse: (raw) => {
    const form = check({ asset: text(R('asset'), 40), reason: text(S('reason'), 1000), media: optional(8) }, raw);
    form.asset = assetNumber(form.asset!);
    if (form.media && !(MEDIA as readonly string[]).includes(form.media)) throw refuse(t('approvalForm.error.choose', { label: S('media') }));
    return form;
  },
  against: async (form, c) => {
    const asset = await requestable(c.tx, form.asset!, 'asset_scrap');
    mayScrap(asset, c);
    const media = holdsStorageMedia(asset, c.directory);
    if (media && form.media === 'no') throw refuse(S('mediaRequired', { number: asset.number, kind: asset.kind ?? asset.number, label: S('media') }));
    if (!media && !form.media) throw refuse(t('approvalForm.error.choose', { label: S('media') }));
    return { ...form, ...fromRegister(asset), media: media ? 'yes' : form.media! };
  },
  opening: async (about, c) => {
    const asset = await requestable(c.tx, about, 'asset_scrap');
    mayScrap(asset, c);
    const opening = opened(asset, c.directory);
    if (!holdsStorageMedia(asset, c.directory)) return opening;
    return { fields: [...opening.fields, { label: S('mediaField'), value: S('mediaPresent') }], preset: { ...opening.preset, media: 'yes' } };
  },
  title: (f, d) => S('title', { number: f.asset!, device: f.device ? ` ${f.device}` : '', department: departmentText(d, f.department) }),
  fields: (f, d) => [
    ...assetFields(f, d),
    { label: S('reasonField'), value: f.reason! },
    { label: S('mediaField'), value: S(f.media === 'yes' ? 'mediaPresent' : 'mediaAbsent') },
  ],
  // The media step is added only for an asset that holds storage media.
  chain: (f, d) => [...d.org.approvals.chains.asset_scrap, ...(f.media === 'yes' ? d.org.approvals.chains.asset_scrap_media : [])],
};

/** The using department applies for scrapping (its people), or IT does. */
function mayScrap(asset: Asset, { requester, directory }: StoredContext): void {
  if (requester.department === asset.departmentId || directory.isItStaff(requester)) return;
  throw refuse(S('notUser', { number: asset.number, department: departmentText(directory, asset.departmentId ?? undefined) }));
}

/** A form opened for an asset: the register's lines about it, and its number carried by the form. */
function opened(asset: Asset, directory: Directory): FormOpening {
  const kept = fromRegister(asset);
  return { fields: assetFields(kept, directory), preset: { asset: asset.number, department: kept.department } };
}

export const assetKinds = { asset_transfer: transfer, asset_scrap: scrap };
