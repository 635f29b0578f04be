/**
 * semantics: what a ruleset means once loaded. Follows `include`s (through an
 * injected resolver), merges block and command forms into tables, chains, sets,
 * maps, flowtables and objects, resolves `$variables` with nft's scoping, records
 * every declaration and reference with its file and span, and reports what `nft -c`
 * would refuse without needing a kernel (codes SEMxxx, see codes.ts).
 *
 * Invariants:
 * - depends only on core/ and syntax/; knows nothing of LSP, offload or the CLI;
 * - does no I/O: file contents come from the `IncludeResolver` the caller passes;
 * - never throws on any input; a bug surfaces as a SEM000 finding;
 * - errors only for what nft would reject; anything host-dependent is a warning.
 * This file is the layer's only public door.
 */
export { buildRulesetModel, MAX_INCLUDE_DEPTH, type BuildModelOptions, type ParsedFile, type SemanticModel } from './build-model';
export type { IncludeResolver, IncludedFile } from './include-resolver';
export { NO_INCLUDES } from './include-resolver';
export type {
  ChainModel,
  DefineDecl,
  FlowtableModel,
  Loc,
  ObjectModel,
  RuleModel,
  RulesetModel,
  SetModel,
  SymbolInfo,
  SymbolKind,
  TableModel,
} from './model';
export { SEMANTIC_RULES, type SemanticRuleKey } from './codes';
export { symbolAt, symbolHitAt, resolveDefine, visibleDefines, type SymbolHit } from './symbols';
