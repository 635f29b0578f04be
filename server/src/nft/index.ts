/**
 * nft: the local `nft` binary as an external checker, and the pure parser of nft's error output.
 * Used by cli/, lsp/ (local `nft -c`) and remote/ (the same parser for a router's `nft -c`).
 * Invariants:
 *  - depends only on core;
 *  - nft runs with an argument array and the ruleset on stdin, never through a shell;
 *  - a missing or refused nft is a note, never an exception;
 *  - nft-errors.ts does no I/O and never throws.
 */
export * from './codes';
export * from './nft-errors';
export * from './run-nft-check';
