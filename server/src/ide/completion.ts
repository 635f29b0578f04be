import type { Span } from '../core/span';
import type { SymbolInfo } from '../semantics/model';
import { BARE_META_KEYS, SELECTOR_ROOTS, childWords, type SelectorNode } from '../syntax/selectors';
import { FAMILIES } from '../syntax/keywords';
import { CHAIN_TYPES, CT_STATES, CT_STATUS, HOOKS, KEYWORD_DOCS, L4_PROTOCOLS, PRIORITY_NAMES, SET_TYPES, selectorDoc } from './docs';

/**
 * Completion by context. Works on the raw text before the cursor (no parse needed, so
 * it stays fast while the user types) plus the last known symbols for names.
 */

export type CompletionKind = 'keyword' | 'field' | 'value' | 'chain' | 'set' | 'map' | 'flowtable' | 'define' | 'table' | 'object' | 'interface';

export interface CompletionCandidate {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown documentation. */
  doc?: string;
}

export interface CompletionResult {
  /** The text the candidates replace (the word being typed). */
  replace: Span;
  items: CompletionCandidate[];
}

export interface CompletionHooks {
  /** Interface names, e.g. from a connected router (remote layer). */
  interfaceNames?: () => string[];
}

export type BlockContext = 'top' | 'table' | 'chain' | 'set' | 'flowtable' | 'object' | 'literal';

const TOP = ['table', 'define', 'redefine', 'undefine', 'include', 'flush', 'add', 'insert', 'delete', 'destroy', 'create', 'list', 'replace', 'reset', 'rename', 'chain', 'set', 'map', 'flowtable', 'element', 'rule'];
const TABLE_BODY = ['chain', 'set', 'map', 'flowtable', 'counter', 'quota', 'limit', 'ct', 'secmark', 'synproxy', 'define', 'include', 'flags', 'comment'];
const SET_BODY = ['type', 'typeof', 'flags', 'elements', 'timeout', 'gc-interval', 'size', 'policy', 'counter', 'auto-merge', 'comment'];
const FLOWTABLE_BODY = ['hook', 'devices', 'flags', 'counter'];
const STATEMENTS = ['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue', 'counter', 'limit', 'quota', 'log', 'snat', 'dnat', 'masquerade', 'redirect', 'notrack', 'flow', 'dup', 'fwd', 'tproxy', 'synproxy', 'comment', 'fib', 'numgen', 'jhash', 'symhash'];
const CHAIN_HEAD = ['type', 'policy', 'comment', 'devices'];

const WORD_CHAR = /[A-Za-z0-9_.\-/*]/;

/** Which block the offset is in, by scanning back over braces (strings and comments skipped). */
export function blockContext(text: string, offset: number): BlockContext {
  let depth = 0;
  let lineStart = offset;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = i + 1;
      continue;
    }
    const ch = text[i];
    if (ch === '"') {
      // Skip back over a string on this line.
      const j = text.lastIndexOf('"', i - 1);
      if (j >= 0 && text.lastIndexOf('\n', i) < j) i = j;
      continue;
    }
    if (ch === '#') {
      // A comment: everything after it on the line is not code; restart counting from here.
      void lineStart;
      continue;
    }
    if (ch === '}') depth++;
    else if (ch === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      return classifyBrace(text, i);
    }
  }
  return 'top';
}

function classifyBrace(text: string, brace: number): BlockContext {
  const lineStart = text.lastIndexOf('\n', brace - 1) + 1;
  const head = text.slice(lineStart, brace).replace(/#.*$/, '').trim();
  const words = head.split(/\s+/).filter(Boolean);
  const last = words[words.length - 1];
  if (last === 'jump' || last === 'goto') return 'chain';
  if (/[=:,]$/.test(head) || last === 'vmap' || last === 'map' && words.length > 2 && words[words.length - 2] !== 'add') return 'literal';
  const verbs = new Set(['add', 'create', 'table', 'chain', 'set', 'map', 'flowtable']);
  for (const w of words) {
    if (w === 'table') return 'table';
    if (w === 'chain') return 'chain';
    if (w === 'set' || w === 'map') return words[0] && (verbs.has(words[0]) || words[0] === w) ? 'set' : 'literal';
    if (w === 'flowtable') return 'flowtable';
    if (['counter', 'quota', 'limit', 'secmark', 'synproxy', 'ct', 'tunnel'].includes(w) && words.length <= 4 && words[0] === w) return 'object';
  }
  return 'literal';
}

function lineTokens(prefix: string): string[] {
  const out: string[] = [];
  const re = /"[^"]*"?|[A-Za-z0-9_./*:-]+|[@$]|==|!=|<=|>=|[{}(),;=<>!&|^]/g;
  for (const m of prefix.matchAll(re)) out.push(m[0]);
  return out;
}

function names(symbols: readonly SymbolInfo[], kinds: string[], detailOf = (s: SymbolInfo) => s.container): CompletionCandidate[] {
  const seen = new Set<string>();
  const out: CompletionCandidate[] = [];
  for (const s of symbols) {
    if (!kinds.includes(s.kind) || s.declarations.length === 0) continue;
    const key = `${s.kind}:${s.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ label: s.name, kind: s.kind as CompletionKind, detail: `${s.kind}${detailOf(s) ? ' in ' + detailOf(s) : ''}` });
  }
  return out;
}

const kwItems = (words: readonly string[], kind: CompletionKind = 'keyword'): CompletionCandidate[] =>
  words.map((w) => ({ label: w, kind, doc: KEYWORD_DOCS[w]?.summary }));

/** The selector node reached by the words at the end of `toks`, if they form an incomplete-or-open selector path. */
function selectorTail(toks: string[]): { node: SelectorNode; path: string[] } | undefined {
  for (let start = Math.max(0, toks.length - 5); start < toks.length; start++) {
    let node: SelectorNode | undefined = SELECTOR_ROOTS[toks[start]] ?? (toks[start] === 'meta' ? SELECTOR_ROOTS.meta : undefined);
    if (!node) continue;
    const path = [toks[start]];
    let ok = true;
    for (let i = start + 1; i < toks.length; i++) {
      const next: SelectorNode | undefined = node.children?.[toks[i]];
      if (!next) {
        ok = false;
        break;
      }
      node = next;
      path.push(toks[i]);
    }
    if (ok && node.children) return { node, path };
  }
  return undefined;
}

export function complete(text: string, offset: number, symbols: readonly SymbolInfo[], hooks: CompletionHooks = {}): CompletionResult {
  let ws = offset;
  while (ws > 0 && WORD_CHAR.test(text[ws - 1])) ws--;
  const replace = { start: ws, end: offset };
  const lineStart = text.lastIndexOf('\n', ws - 1) + 1;
  const before = text[ws - 1];
  // Tokens of the current statement before the word (a `;` or `{` starts a new one).
  let toks = lineTokens(text.slice(lineStart, before === '@' || before === '$' ? ws - 1 : ws));
  const cut = Math.max(toks.lastIndexOf(';'), toks.lastIndexOf('{'));
  const inBraceOnLine = cut >= 0 && toks[cut] === '{';
  if (cut >= 0) toks = toks.slice(cut + 1);
  const last = toks[toks.length - 1];
  const result = (items: CompletionCandidate[]): CompletionResult => ({ replace, items });

  if (before === '$') return result(names(symbols, ['define'], () => ''));
  if (before === '@') {
    if (last === 'add' || last === 'offload') {
      if (toks[toks.length - 2] === 'flow') return result(names(symbols, ['flowtable']));
    }
    return result(names(symbols, ['set', 'map']));
  }
  if (last === 'jump' || last === 'goto') return result(names(symbols, ['chain']));

  const ctx = inBraceOnLine && toks.length === 0 ? blockContext(text, ws) : blockContext(text, ws);
  // Values after well-known keys (also after an operator or inside a comma list).
  const valueKeyIdx = (() => {
    for (let i = toks.length - 1; i >= 0; i--) {
      const t = toks[i];
      if (t === ',' || t === '!=' || t === '==' || t === '{' || t === '!' ) continue;
      if (i < toks.length - 1 && toks[i + 1] !== ',' && i !== toks.length - 1 && !['!=', '==', '{'].includes(toks[i + 1])) {
        // A value already follows this word with no comma: not a list any more.
        if (!CT_STATES.includes(toks[i + 1])) return -1;
      }
      return i;
    }
    return -1;
  })();
  const key = valueKeyIdx >= 0 ? toks.slice(Math.max(0, valueKeyIdx - 1), valueKeyIdx + 1).join(' ') : '';
  const keyWord = valueKeyIdx >= 0 ? toks[valueKeyIdx] : '';
  if (key === 'ct state' || (keyWord && CT_STATES.includes(keyWord) && toks.includes('state'))) return result(kwItems(CT_STATES, 'value'));
  if (key === 'ct status') return result(kwItems(CT_STATUS, 'value'));
  if (last === 'priority') return result(kwItems(PRIORITY_NAMES, 'value'));
  if (last === 'hook') return result(kwItems(HOOKS, 'value'));
  if (last === 'policy') return result(kwItems(ctx === 'set' ? ['performance', 'memory'] : ['accept', 'drop'], 'value'));
  if (last === 'type' && ctx === 'chain') return result(kwItems(CHAIN_TYPES, 'value'));
  if (last === 'type' && ctx === 'set') return result(kwItems(SET_TYPES, 'value'));
  if (toks.length >= 2 && toks[toks.length - 2] === 'type' && CHAIN_TYPES.includes(last)) return result(kwItems(['hook']));
  if (last === 'table' || (toks[0] === 'table' && toks.length === 1)) return result(kwItems(FAMILIES, 'value'));
  if (['l4proto', 'protocol', 'nexthdr'].includes(keyWord) && valueKeyIdx >= 1) return result(kwItems(L4_PROTOCOLS, 'value'));
  if (['iifname', 'oifname', 'devices', 'device', 'iif', 'oif'].includes(keyWord) && hooks.interfaceNames) {
    return result(hooks.interfaceNames().map((n) => ({ label: n, kind: 'interface' as const })));
  }
  if (last === 'flow') return result(kwItems(['add', 'offload']));
  if ((last === 'add' || last === 'offload') && toks[toks.length - 2] === 'flow') return result(names(symbols, ['flowtable']).map((c) => ({ ...c, label: '@' + c.label })));

  // Selector fields: `ip ` → saddr, daddr …; `ct original ` → …
  const sel = selectorTail(toks);
  if (sel) {
    return result(
      childWords(sel.node).map((w) => {
        const doc = selectorDoc([...sel.path, w]);
        return { label: w, kind: 'field' as const, detail: doc?.type, doc: doc?.summary };
      }),
    );
  }

  const ruleStart = [...STATEMENTS, ...Object.keys(SELECTOR_ROOTS), ...BARE_META_KEYS];
  switch (ctx) {
    case 'top':
      return result(kwItems(toks.length === 0 ? TOP : ['table', 'chain', 'set', 'map', 'flowtable', 'element', 'rule', 'ruleset', ...FAMILIES]));
    case 'table':
      return result(kwItems(toks.length === 0 ? TABLE_BODY : ['helper', 'timeout', 'expectation']));
    case 'set':
      return result(kwItems(toks.length === 0 ? SET_BODY : ['constant', 'interval', 'timeout', 'dynamic', ...SET_TYPES]));
    case 'flowtable':
      return result(kwItems(toks.length === 0 ? FLOWTABLE_BODY : ['ingress', 'priority', 'offload', ...PRIORITY_NAMES]));
    case 'object':
      return result(kwItems(['packets', 'bytes', 'rate', 'burst', 'over', 'until', 'type', 'protocol', 'l3proto', 'comment']));
    case 'chain':
      return result(dedupe(kwItems(toks.length === 0 ? [...CHAIN_HEAD, ...ruleStart] : ruleStart)));
    default:
      return result(dedupe(kwItems(ruleStart)));
  }
}

function dedupe(items: CompletionCandidate[]): CompletionCandidate[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.label) ? false : (seen.add(i.label), true)));
}
