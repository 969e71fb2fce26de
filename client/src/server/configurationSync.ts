import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Logger } from '../logging/logger';
import type { LspClient } from './lspClient';
import { configurationValues } from './lspConversions';
import { Configuration, DidChangeConfiguration, RegisterCapability, UnregisterCapability, invalidParams } from './lspMessages';

/**
 * Settings for the server (the client owns them, DESIGN.md §11): answers
 * workspace/configuration, and tells the server when a setting it
 * registered for changes (workspace/didChangeConfiguration with
 * `settings: null`, so it pulls them again) — no reload needed. That
 * registration is the only dynamic one the client advertises; others are
 * acknowledged and ignored.
 */

const DID_CHANGE_CONFIGURATION = 'workspace/didChangeConfiguration';

const registrationParams = z.object({
  registrations: z.array(
    z.object({
      id: z.string(),
      method: z.string(),
      registerOptions: z.optional(z.nullable(z.object({ section: z.optional(z.union([z.string(), z.array(z.string())])) }))),
    }),
  ),
});
// LSP spells the field "unregisterations".
const unregistrationParams = z.object({ unregisterations: z.array(z.object({ id: z.string(), method: z.string() })) });
const configurationParams = z.object({
  items: z.array(z.object({ section: z.optional(z.string()), scopeUri: z.optional(z.string()) })),
});

export function syncConfiguration(client: LspClient, logger: Logger): vscode.Disposable {
  /** Sections the server registered for, by registration id; `undefined`: any change. */
  const registrations = new Map<string, string[] | undefined>();

  const affectsRegistered = (event: vscode.ConfigurationChangeEvent): boolean => {
    for (const sections of registrations.values()) {
      if (sections === undefined || sections.some((section) => event.affectsConfiguration(section))) return true;
    }
    return false;
  };

  const subscriptions = [
    client.onRequest(RegisterCapability, (params) => {
      const parsed = registrationParams.safeParse(params);
      if (!parsed.success) return invalidParams(RegisterCapability.method);
      for (const registration of parsed.data.registrations) {
        if (registration.method !== DID_CHANGE_CONFIGURATION) {
          logger.debug(`Language server registration for ${registration.method} ignored.`);
          continue;
        }
        const section = registration.registerOptions?.section;
        registrations.set(registration.id, section === undefined ? undefined : typeof section === 'string' ? [section] : section);
      }
    }),
    client.onRequest(UnregisterCapability, (params) => {
      const parsed = unregistrationParams.safeParse(params);
      if (!parsed.success) return invalidParams(UnregisterCapability.method);
      for (const { id } of parsed.data.unregisterations) registrations.delete(id);
    }),
    // A restarted server registers again.
    client.onDidStop(() => registrations.clear()),
    client.onRequest(Configuration, (params) => {
      const parsed = configurationParams.safeParse(params);
      if (!parsed.success) return invalidParams(Configuration.method);
      return configurationValues(parsed.data.items, (section, scopeUri) =>
        vscode.workspace.getConfiguration(undefined, scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri)).get(section),
      );
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // While it restarts, the server reads every setting once it is initialized anyway.
      if (affectsRegistered(event)) client.notifyIfRunning(DidChangeConfiguration, { settings: null });
    }),
  ];
  return new vscode.Disposable(() => {
    for (const subscription of subscriptions) subscription.dispose();
  });
}
