/** The manifest keys contributes.mjs writes into package.json. */
export declare const manifest: {
  activationEvents: string[];
  contributes: Record<string, unknown>;
  capabilities: Record<string, unknown>;
};
