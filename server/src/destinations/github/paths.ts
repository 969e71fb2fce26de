import { isAbsolute, relative } from 'node:path';
import { sanitizeFilename } from '../safePath';
import type { ExportProvenance } from '../types';

/**
 * Names in the repository: where an export's file goes, the commit message,
 * the pull request's branch and body. Filenames follow the local
 * destination's rules (safePath.ts): no `..`, no hidden files — so an
 * export can never target `.github/workflows/…`.
 */

export const DEFAULT_COMMIT_MESSAGE = 'docs: export {title}';
export const EXPORT_BRANCH_PREFIX = 'devguide-export/';

/** `folder/name.md` (or `name.md` at the root) for an export's filename. */
export function repoPathOf(folder: string, filename: string): string {
  const name = sanitizeFilename(filename);
  return folder === '' ? name : `${folder}/${name}`;
}

/** A repository path or branch in a URL: each segment encoded, the slashes kept. */
export function encodeSegments(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The configured message (or the default) with `{title}`, `{filename}` and `{path}` filled in. */
export function commitMessageOf(template: string | undefined, fields: { title: string; filename: string; path: string }): string {
  const filled = (template ?? DEFAULT_COMMIT_MESSAGE).replace(/\{(title|filename|path)\}/g, (_match, key: 'title' | 'filename' | 'path') => fields[key]);
  return filled.trim() === '' ? DEFAULT_COMMIT_MESSAGE.replace('{title}', fields.title) : filled;
}

/** One commit for many files: the first line says how many, the body lists them. */
export function batchCommitMessageOf(template: string | undefined, files: { title: string; path: string }[]): string {
  const first = files[0];
  if (files.length === 1 && first) return commitMessageOf(template, { title: first.title, filename: first.path.split('/').pop() ?? first.path, path: first.path });
  const headline = commitMessageOf(template, { title: `${files.length} files`, filename: `${files.length} files`, path: `${files.length} files` }).split('\n')[0] ?? '';
  return `${headline}\n\n${files.map((f) => `- ${f.path}: ${f.title}`).join('\n')}\n`;
}

/** `job_3f2a9c1e-…` → `3f2a9c1e`: short, and unique enough for a branch name (a clash gets a suffix). */
export function shortJobId(jobId: string): string {
  const bare = jobId.replace(/^job_/, '').replace(/[^A-Za-z0-9]/g, '');
  return (bare.slice(0, 8) || 'export').toLowerCase();
}

export function exportBranchName(jobId: string, attempt = 1): string {
  return `${EXPORT_BRANCH_PREFIX}${shortJobId(jobId)}${attempt > 1 ? `-${attempt}` : ''}`;
}

/** The source as the PR shows it: relative to the workspace, never a full local path. */
function shownSource(source: string, workspaceRoot: string): string {
  if (!isAbsolute(source)) return source;
  const inside = relative(workspaceRoot, source);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split('\\').join('/');
  return source.split(/[\\/]/).pop() ?? source;
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** The pull request's body: each file with its provenance (source, session, messages, template, content hash, job). */
export function pullRequestBody(files: { path: string; title: string; jobId: string; provenance?: ExportProvenance }[], workspaceRoot: string): string {
  const sections = files.map((file) => {
    const p = file.provenance;
    const rows = [
      ['File', code(file.path)],
      ['Title', file.title.replace(/\|/g, '\\|')],
      ...(p
        ? [
            ['Source', code(shownSource(p.source, workspaceRoot))],
            ['Session', code(p.sessionId)],
            ['Messages', p.messageIds.length > 20 ? `${p.messageIds.slice(0, 20).map(code).join(', ')} and ${p.messageIds.length - 20} more` : p.messageIds.map(code).join(', ')],
            ['Template', code(p.templateId)],
            ['Content hash', code(p.contentHash)],
          ]
        : []),
      ['Job', code(file.jobId)],
    ];
    return ['| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value} |`)].join('\n');
  });
  const intro = files.length === 1 ? 'Exported with DevGuide Export after review.' : `${files.length} files exported with DevGuide Export after review.`;
  return `${intro}\n\n${sections.join('\n\n')}\n`;
}
