/**
 * Every command the extension contributes. Pure, so a unit test can check
 * the manifest's `contributes.commands` against it; the command table
 * (commands/index.ts) must have a factory for each.
 */
export const COMMAND_IDS = [
  'devguideExport.exportSelection',
  'devguideExport.exportTranscript',
  'devguideExport.previewExport',
  'devguideExport.showHistory',
  'devguideExport.retryExport',
  'devguideExport.rollbackExport',
  'devguideExport.showJobDetails',
  'devguideExport.openExportOutput',
  'devguideExport.copyContentHash',
  'devguideExport.filterHistoryByStatus',
  'devguideExport.filterHistoryByDestination',
  'devguideExport.filterHistoryByTime',
  'devguideExport.clearHistoryFilter',
  'devguideExport.refreshHistory',
  'devguideExport.newTemplate',
  'devguideExport.manageDestinations',
  'devguideExport.testDestination',
  'devguideExport.setDestinationCredential',
  'devguideExport.clearDestinationCredential',
  'devguideExport.signInToGoogleDrive',
  'devguideExport.setTeamStoreKey',
  'devguideExport.showLog',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
