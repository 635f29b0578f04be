/**
 * remote: talk to routers over SSH — check, pull, diff, safe apply with rollback, live flows — and
 * pure parsers for what routers print (conntrack, flowtables, `ip -d link`, ethtool, PPE debugfs).
 * Used by the CLI (`nft-offload remote ...`) and the editor client (same code, different prompts).
 * Invariants:
 *  - depends only on core (+ node and ssh2); knows nothing of LSP or vscode;
 *  - every command sent to a router is a constant from router-commands.ts; data goes on stdin;
 *  - host keys are verified against known_hosts; secrets come from a caller's SecretProvider and are
 *    never logged;
 *  - a bad ruleset changes nothing; an applied one stays only if confirmed from a NEW connection.
 * I/O lives in ssh-transport.ts and the operation functions; the parsers do no I/O and never throw.
 */
export * from './ssh-url';
export * from './known-hosts';
export * from './ssh-transport';
export * from './router-commands';
export * from './router-profile';
export * from './safe-apply';
export * from './ruleset-scope';
export * from './ruleset-diff';
export * from './nft-error-lines';
export * from './conntrack-parser';
export * from './flows';
export * from './flow-routing';
export * from './device-links';
export * from './inventory';
export * from './hw-preview';
export * from './operations';
