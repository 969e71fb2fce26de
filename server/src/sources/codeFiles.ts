/** Which files are code, and the Markdown fence language for them, by extension. */

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'ts', tsx: 'tsx', mts: 'ts', cts: 'ts', js: 'js', jsx: 'jsx', mjs: 'js', cjs: 'js',
  py: 'python', rb: 'ruby', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', kts: 'kotlin',
  scala: 'scala', swift: 'swift', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp',
  cs: 'csharp', fs: 'fsharp', php: 'php', lua: 'lua', r: 'r', dart: 'dart', ex: 'elixir', exs: 'elixir',
  erl: 'erlang', hs: 'haskell', clj: 'clojure', ml: 'ocaml', pl: 'perl', sh: 'bash', bash: 'bash',
  zsh: 'bash', ps1: 'powershell', sql: 'sql', css: 'css', scss: 'scss', less: 'less', html: 'html',
  vue: 'vue', svelte: 'svelte', json: 'json', jsonc: 'jsonc', yaml: 'yaml', yml: 'yaml', toml: 'toml',
  xml: 'xml', hbs: 'handlebars', graphql: 'graphql', proto: 'protobuf', tf: 'hcl', dockerfile: 'dockerfile',
  makefile: 'makefile',
};

function extensionOf(path: string): string {
  const name = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (name === 'dockerfile' || name === 'makefile') return name;
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1);
}

export function fenceLanguageForPath(path: string): string | undefined {
  return LANGUAGE_BY_EXTENSION[extensionOf(path)];
}

export function isCodePath(path: string): boolean {
  return fenceLanguageForPath(path) !== undefined;
}
