import * as vscode from 'vscode';
import { destinationRefsOf, parseSettingsText, type DestinationRef } from './settingsValues';

/**
 * In Restricted Mode VS Code hides restricted settings of the workspace from
 * every API (get and inspect alike), so the destinations a workspace defines
 * are read from its settings files — only to list them as disabled and say
 * why. Nothing read here is used to export.
 */
export async function destinationsInWorkspaceFiles(): Promise<DestinationRef[]> {
  const files: { uri: vscode.Uri; section?: string }[] = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
  }));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push({ uri: workspaceFile, section: 'settings' });

  const found: DestinationRef[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file.uri));
    } catch {
      continue; // No settings file: nothing defined there.
    }
    const parsed = parseSettingsText(text);
    const settings = file.section ? parsed?.[file.section] : parsed;
    if (settings && typeof settings === 'object') found.push(...destinationRefsOf((settings as Record<string, unknown>)['devguideExport.destinations']));
  }
  const seen = new Set<string>();
  return found.filter((d) => !seen.has(d.id) && seen.add(d.id));
}
