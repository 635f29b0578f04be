/**
 * analysis: the one pipeline from text to findings (parse → semantics → offload), shared by the
 * CLI and the LSP so both report the same thing. Sits above offload, below lsp and cli.
 * Invariants: knows nothing of LSP or terminals; never throws (a crashing stage becomes an
 * INT001 finding); the only I/O is what the caller's include resolver does.
 */
export * from './codes';
export * from './analyze';
