/**
 * The review panel's bundle (dist/webview.js + dist/webview.css), loaded by
 * the HTML that client/src/panel/panelHtml.ts builds.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './styles.css';
import { start } from './app';
import { warmUpMarkdownParser } from './markdown/parser';
import type { VsCodeApi } from './messaging';

declare function acquireVsCodeApi(): VsCodeApi;

start(acquireVsCodeApi());
// After `ready` is posted; VS Code hands over the `init` it holds once this script has run.
warmUpMarkdownParser();
