import type { Registry } from '../bot/commands.js';
import {
  applyCommand,
  backupAction,
  claimExecutionAction,
  decideAction,
  decideCommand,
  delegateCommand,
  doneExecutionAction,
  endDelegationCommand,
  myApprovals,
  reviewAction,
  submitAction,
  verifyAction,
} from './approvals.js';
import { bindCommand, showBindingCommand, unbindCommand } from './bindings.js';
import { dashboardCommand } from './dashboard.js';
import { claimCommand, claimIncident, claimTicket } from './claim.js';
import { cancelCommand, closeAction, closeCommand } from './close.js';
import { confirmAction, confirmCommand, confirmIncidentAction, selfSolvedAction } from './confirm.js';
import {
  acceptHandover,
  digestCommand,
  dutyCommand,
  exportCommand,
  handoverCommand,
  handoverLog,
  overrideCommand,
  reminderDone,
  reminderDoneCommand,
  submitHandover,
} from './duty.js';
import { departmentAction, openFormAction, syncDirectoryCommand } from './directory.js';
import help from './help.js';
import { holidayCommand } from './holidays.js';
import { mergeAction, mergeCommand, scopeAction } from './intake.js';
import { addKnowledge } from './knowledge.js';
import reportFault from './report-fault.js';
import { myTickets, showTicket } from './show.js';
import {
  costCommand,
  noteAction,
  noteCommand,
  partsCommand,
  priorityAction,
  priorityCommand,
  progressCommand,
  progressIncidentAction,
  recoveredIncidentAction,
  resolveAction,
  resolveCommand,
  resolveIncidentAction,
  transferAction,
  transferCommand,
} from './work.js';

/** Every command and card action the bot knows, listed explicitly. */
export const registry: Registry = {
  commands: [
    help,
    claimCommand,
    showTicket,
    myTickets,
    transferCommand,
    noteCommand,
    progressCommand,
    priorityCommand,
    partsCommand,
    resolveCommand,
    costCommand,
    closeCommand,
    cancelCommand,
    confirmCommand,
    mergeCommand,
    addKnowledge,
    applyCommand,
    decideCommand,
    myApprovals,
    delegateCommand,
    endDelegationCommand,
    dutyCommand,
    overrideCommand,
    digestCommand,
    dashboardCommand,
    handoverLog,
    exportCommand,
    reminderDoneCommand,
    handoverCommand,
    holidayCommand,
    syncDirectoryCommand,
    bindCommand,
    unbindCommand,
    showBindingCommand,
  ],
  actions: [
    claimTicket,
    claimIncident,
    transferAction,
    noteAction,
    priorityAction,
    resolveAction,
    resolveIncidentAction,
    progressIncidentAction,
    recoveredIncidentAction,
    closeAction,
    confirmAction,
    confirmIncidentAction,
    selfSolvedAction,
    mergeAction,
    scopeAction,
    submitAction,
    decideAction,
    claimExecutionAction,
    doneExecutionAction,
    backupAction,
    verifyAction,
    reviewAction,
    reminderDone,
    submitHandover,
    acceptHandover,
    departmentAction,
    openFormAction,
  ],
  fallback: reportFault,
};
