import * as vscode from 'vscode';
import type { JobJson as JobRecord } from '../../../server/src/protocol';
import { outputTarget } from './format';

/** The action label for a job's output, or undefined when it cannot be opened from here. */
export function openOutputLabel(job: JobRecord): string | undefined {
  const target = outputTarget(job);
  if (!target) return undefined;
  return target.kind === 'file' ? 'Open File' : 'Open in Browser';
}

export async function openOutput(job: JobRecord): Promise<boolean> {
  const target = outputTarget(job);
  if (!target) return false;
  if (target.kind === 'file') {
    await vscode.window.showTextDocument(vscode.Uri.file(target.path), { preview: false });
    return true;
  }
  return vscode.env.openExternal(vscode.Uri.parse(target.url));
}
