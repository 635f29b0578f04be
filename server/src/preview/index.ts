/**
 * preview: what a router would do with a ruleset, from its live state: predictions for live
 * flows (offload analysis + the router's routes), the hardware-acceleration preview (driver,
 * stacking, hw-tc-offload, PPE facts read over SSH) and the sentence shown before a safe apply.
 * Shared by the CLI (`remote flows`, `remote apply`) and the editor (Routers view, apply).
 * Invariant: all router access goes through a remote/ RouterSession with fixed commands; no
 * `vscode` import, so the client bundles it as it is.
 */
export * from './ruleset-predictor';
export * from './router-facts';
export * from './apply-preview';
