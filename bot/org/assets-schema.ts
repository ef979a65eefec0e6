import { z } from 'zod';
import { Id } from './ids.js';

/** The 类型 words of the asset register that hold storage media, unless the organisation file says otherwise. */
export const STORAGE_MEDIA_KINDS = ['电脑', '台式机', '笔记本', '一体机', '服务器', '工作站', '平板', '硬盘', '存储'] as const;

/** A label prefix of the hospital's asset numbers (PC of PC-0231). */
const Prefix = z.string().regex(/^[A-Za-z]{2,5}$/, 'letters only, like PC');

const StorageMedia = z
  .object({
    prefixes: z.array(Prefix).default([]),
    kinds: z.array(z.string().trim().min(1)).default([...STORAGE_MEDIA_KINDS]),
  })
  .strict();

/** The assets section of the organisation file: how asset numbers look, what they label, what holds storage media. */
export const Assets = z
  .object({
    /** Asset-number prefixes of the hospital's labels (PC-0231): recognized even without 资产号 before them. */
    prefixes: z.array(Prefix).default([]),
    /** What kind of device a prefix labels (PR: printer), a system id: the label then points to that system. */
    kinds: z.record(z.string(), Id).default({}),
    /**
     * What holds storage media (hard disks, memory cards): scrapping such an asset needs the
     * media destroyed and confirmed. Label prefixes, and words of the register's 类型; the
     * scrapping form asks about any other asset.
     */
    storageMedia: StorageMedia.default({ prefixes: [], kinds: [...STORAGE_MEDIA_KINDS] }),
  })
  .strict();

export const ASSETS_DEFAULTS = { prefixes: [], kinds: {}, storageMedia: { prefixes: [], kinds: [...STORAGE_MEDIA_KINDS] } };
