import { z } from 'zod';
import { ExportError } from '../errors';
import { defineDestination, destinationBaseFields } from './descriptor';

/**
 * A GitHub (or GitHub Enterprise Server) repository: a direct commit or a
 * branch + pull request. High risk, remote, one credential (`token`).
 * Octokit is imported only when a destination of this type is built.
 */

export const GITHUB_PUBLIC_API = 'https://api.github.com';

// GitHub: owners are 1–39 letters, digits and dashes; repository names letters, digits, `.`, `_`, `-` (not `.` or `..`).
const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/** git check-ref-format's rules, in short: what `refs/heads/<name>` accepts. */
function isBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 250) return false;
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  if (name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock')) return false;
  if (name.includes('..') || name.includes('//') || name.includes('@{') || name === '@') return false;
  return !name.split('/').some((part) => part.startsWith('.'));
}

/** The folder as a repository path: `docs/skills`, or '' for the root. */
function folderProblem(path: string): string | undefined {
  if (path.includes('\\')) return 'use "/" between folders, not "\\"';
  if (/[\u0000-\u001f]/.test(path)) return 'must not contain control characters';
  const segments = path.replace(/^\/+|\/+$/g, '').split('/').filter((s, i, all) => !(all.length === 1 && s === ''));
  if (segments.some((s) => s === '..')) return 'must not contain ".."';
  if (segments.some((s) => s === '' || s === '.')) return 'must not contain empty or "." folders';
  if (segments.some((s) => s.toLowerCase() === '.git')) return 'must not point into .git';
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export const githubDestinationSchema = z
  .object({
    ...destinationBaseFields,
    type: z.literal('github'),
    repo: z.string({ error: 'is required ("owner/name")' }).regex(REPO, 'must be "owner/name"'),
    /** Absent: the repository's default branch. */
    branch: z.string().refine(isBranchName, 'is not a valid branch name').optional(),
    /** Folder in the repository; '' is the root. */
    path: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        const problem = folderProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .transform((value) => value.replace(/^\/+|\/+$/g, '')),
    mode: z.enum(['commit', 'pull_request'], { error: 'must be "commit" or "pull_request"' }).default('commit'),
    /** GitHub Enterprise Server: `https://HOST/api/v3`. */
    baseUrl: z
      .string()
      .refine(isHttpUrl, 'must be an http(s) URL without credentials, e.g. https://github.example.com/api/v3')
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
    /** `{title}`, `{filename}` and `{path}` are filled in; default "docs: export {title}". */
    commitMessage: z.string().min(1).max(1000).optional(),
  })
  .strict();
export type GitHubDestinationConfig = z.infer<typeof githubDestinationSchema>;

/** A destination entry checked again where it is used (a job's recorded config at rollback, say). */
export function checkedGitHubConfig(config: unknown): GitHubDestinationConfig {
  const parsed = githubDestinationSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const id = typeof (config as { id?: unknown } | null)?.id === 'string' ? (config as { id: string }).id : '?';
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
  throw new ExportError('DESTINATION_CONFIG_INVALID', `GitHub destination "${id}" is misconfigured: ${problems.join('; ')}`, {
    details: { problems },
    recoverable: false,
  });
}

export const githubDestination = defineDestination<GitHubDestinationConfig>({
  type: 'github',
  configSchema: githubDestinationSchema,
  risk: 'high',
  remote: true,
  secretFields: [
    {
      field: 'token',
      label: 'GitHub token',
      prompt: 'A GitHub token that may push to the repository (classic: the "repo" scope; fine-grained: Contents and Pull requests, read and write).',
      placeHolder: 'ghp_… or github_pat_…',
    },
  ],
  secretEnvFallbacks: { token: 'GITHUB_TOKEN' },
  async create(config, context) {
    const checked = checkedGitHubConfig(config);
    const token = await context.getSecret(checked.id, 'token');
    if (token === undefined || token.trim() === '') {
      throw new ExportError(
        'AUTH_EXPIRED',
        `No GitHub token for destination "${checked.id}". In VS Code: sign in to GitHub or run "Set Destination Credential"; in the CLI: set ${envNameOf(checked.id)} or GITHUB_TOKEN.`,
        { details: { destination: checked.id, action: 'reauthenticate' }, recoverable: false },
      );
    }
    const { createGitHubDestination } = await import('./github/destination');
    return createGitHubDestination(checked, {
      token: token.trim(),
      workspaceRoot: context.workspaceRoot,
      ...(context.limits ? { maxRetries: context.limits.maxRetries, maxWaitMs: context.limits.timeoutMs, timeoutMs: context.limits.timeoutMs } : {}),
    });
  },
});

/** The CLI's variable for this destination's token (the same rule as cli/runtime.ts's secretEnvName). */
function envNameOf(destinationId: string): string {
  return `DEVGUIDE_SECRET_${destinationId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_TOKEN`;
}
