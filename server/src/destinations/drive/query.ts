/**
 * Drive's search query language (files.list `q`): string values are quoted
 * with `'`, and inside them `\` and `'` are escaped with a backslash — the
 * backslash first, so an escape added for a quote is not escaped again.
 * A name like `it's \ "fine".md` then neither ends the string early nor
 * widens the query.
 */
export function driveQueryString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The files named exactly `name` directly in `folderId`, not in the trash. */
export function fileInFolderQuery(name: string, folderId: string): string {
  return `name = ${driveQueryString(name)} and ${driveQueryString(folderId)} in parents and trashed = false`;
}
