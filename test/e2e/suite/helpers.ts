import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DevGuideExportApi, TestHooks } from '../../../client/src/api';

/** Shared by the extension-host tests (they run inside code-server's extension host). */

export const EXTENSION_ID = 'devguide.devguide-export';

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e run opens a workspace folder');
  return folder.uri.fsPath;
}

export function inWorkspace(...parts: string[]): string {
  return join(workspaceRoot(), ...parts);
}

export function extension(): vscode.Extension<DevGuideExportApi> {
  const found = vscode.extensions.getExtension<DevGuideExportApi>(EXTENSION_ID);
  if (!found) throw new Error(`${EXTENSION_ID} is not loaded`);
  return found;
}

export async function api(): Promise<DevGuideExportApi> {
  return extension().activate();
}

export async function hooks(): Promise<TestHooks> {
  const exported = await api();
  if (!exported.testHooks) throw new Error('test hooks exist only in ExtensionMode.Test');
  return exported.testHooks;
}

/**
 * Resolves when `check()` returns a value other than undefined: checked now
 * and on every `event`, never by sleeping. Rejects after `timeoutMs` with `what`.
 */
export function waitFor<T, E>(event: vscode.Event<E>, check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const now = check();
    if (now !== undefined) {
      resolve(now);
      return;
    }
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const listener = event(() => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}

/**
 * Polls an async condition until it holds — only for state that has no
 * event (the language server applying new settings), with a short backoff.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let wait = 25;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 500);
  }
}

export async function openEditor(path: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  return vscode.window.showTextDocument(document, { preview: false });
}
