/**
 * analysis: the one pipeline from text to findings (parse → semantics → offload), shared by the
 * CLI and the LSP so both report the same thing. Sits above offload, below lsp and cli.
 * Invariants: knows nothing of LSP or terminals; never throws (a crashing stage becomes an
 * INT001 finding and the other stages' findings are kept); its only I/O is reading included
 * files through the resolver (the caller's, or by default workspace/include-resolver.ts on disk).
 */
export * from './codes';
export * from './analyze';
