import { z } from 'zod';
import { Duration } from './duration.js';
import { INTAKE_DEFAULTS } from './intake-defaults.js';

const Name = z.string().trim().min(1);

/** Impact words the help desk reads a report's priority from (DOMAIN: how the help desk reads impact). */
/** The intake section of the organisation file. */
export const Intake = z
  .object({
    /** Variant spellings and homophone typos, read as the word they stand for (帐号 → 账号). */
    spellings: z.record(z.string().min(1), z.string()).default(INTAKE_DEFAULTS.spellings),
    /** Patient-safety areas: a fault that stops one is P1 whatever its size. */
    safetyAreas: z.array(Name).default(INTAKE_DEFAULTS.safetyAreas),
    /** Security incidents (ransomware, data leak, intrusion): P1. */
    securityIncidents: z.array(Name).default(INTAKE_DEFAULTS.securityIncidents),
    /** The whole hospital or several departments stopped: P1. */
    hospitalWide: z.array(Name).default(INTAKE_DEFAULTS.hospitalWide),
    /** One department's business stopped, or several users: P2. */
    departmentWide: z.array(Name).default(INTAKE_DEFAULTS.departmentWide),
    /** Patients queuing because of it: P2. */
    queueing: z.array(Name).default(INTAKE_DEFAULTS.queueing),
    /** Scope denied ("only mine", "everything else works"): never above P3 unless patient safety or security. */
    onlyMe: z.array(Name).default(INTAKE_DEFAULTS.onlyMe),
    /** Questions and how-to: P4 when nothing is broken. */
    questions: z.array(Name).default(INTAKE_DEFAULTS.questions),
    /** Routine service requests (install, open an account, move a PC): P4 when nothing is broken. */
    routine: z.array(Name).default(INTAKE_DEFAULTS.routine),
    /** "No hurry": P4 unless patient safety or security. */
    noHurry: z.array(Name).default(INTAKE_DEFAULTS.noHurry),
    /** Words of a collective subject (我们这边): with them and no stated scope, the bot asks how far the fault reaches. */
    collective: z.array(Name).default(INTAKE_DEFAULTS.collective),
    /** How long after the sender's last ticket a message without a new fault continues it. */
    continueWindow: Duration.default({ minutes: 240 }),
  })
  .strict();
