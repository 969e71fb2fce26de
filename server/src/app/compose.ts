import { Bin } from '../governance/bin';
import type { ExportConfig } from '../config';
import type { Store } from '../store/types';
import { Catalog } from './catalog';
import { Changes } from './changes';
import { Exports } from './exports';
import { Jobs } from './jobs';
import { Migrations } from './migrations';
import { StoreImport } from './storeImport';
import { OpenReviews } from './reviews';
import { AppState, type AppEnvironment, type Trust } from './state';
import { Team } from './team';
import { Transcripts } from './transcripts';
import { databaseTranscripts } from './databaseSources';

/**
 * The composition root (DESIGN.md §2): the one place the application is
 * built, for the language server (lsp/session.ts) and the CLI
 * (cli/runtime.ts) alike. One App lives as long as its process; settings and
 * trust changes go through configure() and setTrust(), never a rebuild.
 */

export interface App {
  readonly state: AppState;
  /** The Bin: one per process, with its open transactions. */
  readonly bin: Bin;
  readonly transcripts: Transcripts;
  readonly catalog: Catalog;
  readonly exports: Exports;
  readonly jobs: Jobs;
  readonly changes: Changes;
  /** Database destinations' migrations (`devguide-export db migrate`). */
  readonly migrations: Migrations;
  /** `devguide-export store import`: a file store copied into the team store. */
  readonly storeImport: StoreImport;
  /** The team store's shared templates and destinations (store.type tidb). */
  readonly team: Team;
  /** New settings (and the store they name) for every later call; open reviews stay open. */
  configure(config: ExportConfig, store?: StoreAndData): void;
  setTrust(trust: Trust): void;
  /** Declines an open review: an export's, or a template or destination change's. */
  rejectReview(transactionId: string, reason?: string): Promise<null>;
  /** Closes what the open reviews and the database sources hold; the store is the opener's to close. */
  dispose(): Promise<void>;
}

/** A store, and this machine's data folder that goes with it. */
export interface StoreAndData {
  store: Store;
  dataDir: string;
}

export function composeApp(env: AppEnvironment, initial: { config: ExportConfig; trust: Trust; store: StoreAndData }): App {
  // The Bin reads the store and the review threshold as they are at each decision.
  let state: AppState | undefined = undefined;
  const live = () => state as AppState;
  const bin = new Bin({
    get store() {
      return live().store;
    },
    get requireAt() {
      return live().config.review.requireAt;
    },
    clock: env.clock,
    // Read at each decision: the language server's `user` setting may change it.
    get actor() {
      return env.actor;
    },
  });
  state = new AppState(
    env,
    initial.config,
    initial.trust,
    initial.store,
    async (destinationId, field, found) => {
      await bin.security('credential_accessed', 'info', destinationId, { field, found });
    },
    async (resource, metadata) => {
      await bin.security('access_denied', 'warning', resource, metadata);
    },
  );
  const transcripts = new Transcripts(env.workspaceRoot, () => state.config.limits.maxInputBytes, undefined, databaseTranscripts(() => state as AppState));
  const catalog = new Catalog(state);
  const reviews = new OpenReviews(state, bin);
  const exports = new Exports(state, transcripts, reviews, catalog.names);
  const jobs = new Jobs(state, bin, exports, catalog.names);
  const changes = new Changes(state, bin);
  const migrations = new Migrations(state, bin);
  const storeImport = new StoreImport(state, bin);
  const team = new Team(state, bin);
  const appState = state;
  return {
    state: appState,
    bin,
    transcripts,
    catalog,
    exports,
    jobs,
    changes,
    migrations,
    storeImport,
    team,
    configure: (config, store) => appState.update({ config, ...(store ? { store } : {}) }),
    setTrust: (trust) => appState.update({ trust }),
    rejectReview: (transactionId, reason) =>
      changes.has(transactionId) ? changes.reject(transactionId, reason) : team.has(transactionId) ? team.reject(transactionId, reason) : exports.reject(transactionId, reason),
    dispose: async () => {
      await reviews.dispose();
      await transcripts.dispose();
      await team.dispose();
    },
  };
}
