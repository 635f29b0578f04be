/**
 * core: plain data shared by every layer: spans, line positions, findings, fixes and
 * the catalogue entry type.
 * Invariant: imports nothing from any other layer and does no I/O.
 */
export * from './span';
export * from './line-index';
export * from './finding';
export * from './catalogue';
export * from './arrays';
