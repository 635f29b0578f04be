/**
 * Every command, view and context key the remote-router UI contributes, in one place
 * (vscode-eslint's `CommandIds`). package.json repeats these strings; test/client/contributes.test.ts
 * checks that both agree, so the end-to-end tests (issue 7) can rely on them.
 * Pure: no `vscode` import.
 */
export const CommandIds = {
  addRouter: 'nftablesOffload.remote.addRouter',
  removeRouter: 'nftablesOffload.remote.removeRouter',
  connect: 'nftablesOffload.remote.connect',
  disconnect: 'nftablesOffload.remote.disconnect',
  pullRuleset: 'nftablesOffload.remote.pullRuleset',
  diff: 'nftablesOffload.remote.diff',
  check: 'nftablesOffload.remote.check',
  safeApply: 'nftablesOffload.remote.safeApply',
  confirmApply: 'nftablesOffload.remote.confirmApply',
  rollbackNow: 'nftablesOffload.remote.rollbackNow',
  refreshFlows: 'nftablesOffload.remote.refreshFlows',
  forgetSecret: 'nftablesOffload.remote.forgetSecret',
  dashboard: 'nftablesOffload.remote.dashboard',
  selectRouter: 'nftablesOffload.remote.selectRouter',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewIds = {
  container: 'nftablesOffload',
  routers: 'nftablesOffload.routers',
} as const;

/** Context keys set with `setContext`, used in package.json `when` clauses. */
export const ContextKeys = {
  /** True while a safe apply waits for Confirm / Roll back now. */
  applyPending: 'nftablesOffload.remote.applyPending',
  /** True when at least one router is configured. */
  hasRouters: 'nftablesOffload.remote.hasRouters',
  /** True when the active text editor holds an nftables document (tree context menus need it). */
  activeEditorIsNftables: 'nftablesOffload.remote.activeEditorIsNftables',
} as const;

/** `contextValue`s of tree items (menus match them with `viewItem =~ /.../`). */
export const TreeItemContexts = {
  routerDisconnected: 'router-disconnected',
  routerConnected: 'router-connected',
  liveRuleset: 'live-ruleset',
  flows: 'flows',
  flow: 'flow',
  hwPreview: 'hw-preview',
  info: 'info',
} as const;

/** Diagnostic collection for `nft -c` errors reported by a router. */
export const REMOTE_DIAGNOSTICS = 'nft-offload-remote';
/** Webview panel type of the offload dashboard. */
export const DASHBOARD_VIEW_TYPE = 'nftablesOffload.dashboard';
/** Read-only documents holding a router's live ruleset (left side of the diff). */
export const LIVE_RULESET_SCHEME = 'nftables-live';
