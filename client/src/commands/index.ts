import * as vscode from 'vscode';
import type { CmdFactory, Ctx } from '../context';
import { showError } from '../ui/notify';
import { InvalidArgumentsError } from './args';
import type { CommandId } from './commandIds';
import { COMMAND_IDS } from './commandIds';
import { clearDestinationCredential, setDestinationCredential } from './credentials';
import { manageDestinations, testDestination } from './destinations';
import { exportSelection } from './exportSelection';
import { exportTranscript } from './exportTranscript';
import { signInToGoogleDrive } from './googleDrive';
import { copyContentHash, openExportOutput, retryExport, rollbackExport, showHistory, showJobDetails } from './history';
import { clearHistoryFilter, filterHistoryByDestination, filterHistoryByStatus, filterHistoryByTime, refreshHistory } from './historyFilter';
import { newTemplate } from './newTemplate';
import { previewExport } from './previewExport';
import { setTeamStoreKey } from './teamStore';

/** The one table of commands (rust-analyzer style): id → (ctx) => Cmd, with the title used in errors. */
const COMMANDS: Readonly<Record<CommandId, { title: string; factory: CmdFactory }>> = {
  'devguideExport.exportSelection': { title: 'Export Selection', factory: exportSelection },
  'devguideExport.exportTranscript': { title: 'Export Transcript', factory: exportTranscript },
  'devguideExport.previewExport': { title: 'Preview Export', factory: previewExport },
  'devguideExport.showHistory': { title: 'Export History', factory: showHistory },
  'devguideExport.retryExport': { title: 'Retry Export', factory: retryExport },
  'devguideExport.rollbackExport': { title: 'Roll Back Export', factory: rollbackExport },
  'devguideExport.showJobDetails': { title: 'Show Details', factory: showJobDetails },
  'devguideExport.openExportOutput': { title: 'Open Output', factory: openExportOutput },
  'devguideExport.copyContentHash': { title: 'Copy Content Hash', factory: copyContentHash },
  'devguideExport.filterHistoryByStatus': { title: 'Filter by Status', factory: filterHistoryByStatus },
  'devguideExport.filterHistoryByDestination': { title: 'Filter by Destination', factory: filterHistoryByDestination },
  'devguideExport.filterHistoryByTime': { title: 'Filter by Time', factory: filterHistoryByTime },
  'devguideExport.clearHistoryFilter': { title: 'Clear Filter', factory: clearHistoryFilter },
  'devguideExport.refreshHistory': { title: 'Refresh History', factory: refreshHistory },
  'devguideExport.newTemplate': { title: 'New Template', factory: newTemplate },
  'devguideExport.manageDestinations': { title: 'Manage Destinations', factory: manageDestinations },
  'devguideExport.testDestination': { title: 'Test Destination', factory: testDestination },
  'devguideExport.setDestinationCredential': { title: 'Set Destination Credential', factory: setDestinationCredential },
  'devguideExport.clearDestinationCredential': { title: 'Clear Destination Credential', factory: clearDestinationCredential },
  'devguideExport.signInToGoogleDrive': { title: 'Sign in to Google Drive', factory: signInToGoogleDrive },
  'devguideExport.setTeamStoreKey': { title: 'Set Team Store Key', factory: setTeamStoreKey },
  'devguideExport.showLog': { title: 'Show Log', factory: (ctx) => async () => ctx.channel.show() },
};

/**
 * Registers every command. A failure anywhere in a command ends as one error
 * message (the server's message, never a stack) and a `failed` result.
 */
export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return COMMAND_IDS.map((id) => {
    const { title, factory } = COMMANDS[id];
    const run = factory(ctx);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (thrown) {
        if (thrown instanceof InvalidArgumentsError) {
          ctx.logger.error(thrown.message);
          void vscode.window.showErrorMessage(thrown.message);
          return { status: 'failed', code: 'INVALID_INPUT', message: thrown.message, recoverable: false };
        }
        const error = showError(ctx, thrown, { prefix: title });
        return { status: 'failed', ...error };
      }
    });
  });
}
