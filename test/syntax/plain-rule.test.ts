// Plain rules are read without the grammar (syntax/plain-rule.ts). Both ways must read every text
// the same way: the same tree, node by node with the same fields in the same order, and the same
// findings. Checked on the whole corpus (dumps, py lines in every context, bogons, real-world
// rulesets), a generated ruleset, and a list of rules near the edge of what the reader takes,
// each alone, in a chain, in an `add rule` command and in an anonymous chain.
import { describe, expect, it, vi } from 'vitest';
import { EOF, type IToken } from 'chevrotain';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { lex } from '../../server/src/syntax/lexer';
import { NftParser } from '../../server/src/syntax/parser';
import { PlainRuleReader, expressionStatementHeads } from '../../server/src/syntax/plain-rule';
import { packedAsPlain } from '../helpers/tree-shape';
import { END_OF_INPUT } from '../../server/src/syntax/token-window';
import { CORPUS_DIR, SHARED_DIR, listFiles, requireShared } from '../helpers/shared';
import { readPyTest, rulesetFor } from '../helpers/py-tests';

requireShared();

/**
 * A tree as text, keeping what JSON would lose: fields whose value is undefined, and the order
 * of fields (both ways must make nodes of the same shape). Packed element nodes by kind, text, span.
 */
function shape(value: unknown): string {
  return JSON.stringify(value, (k, v) => (v === undefined ? '<undefined>' : packedAsPlain(k, v)));
}

function expectSameReading(text: string): void {
  const plain = parseRuleset(text, { keepTokens: false });
  const grammar = parseRuleset(text, { keepTokens: false, plainRules: false });
  expect(plain.findings).toEqual(grammar.findings);
  expect(shape(plain.ast)).toBe(shape(grammar.ast));
}

/** Rules at the edge of what the reader takes; `!` marks the ones it must leave to the grammar. */
const EDGE_RULES: string[] = [
  'ip saddr 10.0.0.1 accept',
  'ip saddr != 10.0.0.0/8 drop',
  'ip saddr eq 1.2.3.4',
  'ip saddr ne 1.2.3.4-1.2.3.9',
  'tcp dport { 22, 80, 443 } ct state new accept',
  'tcp dport {\n\t\t\t22,\n\t\t\t80\n\t\t} accept',
  'tcp dport { 22, 80, } accept',
  'tcp dport {\n22 ,\n80\n} accept',
  '!tcp dport { 22,, 80 } accept',
  '!tcp dport { } accept',
  '!tcp dport {\n\n22 } accept',
  '!tcp dport { 22,\n\n80 } accept',
  'ct state established,related accept',
  'ct state != established,related counter drop',
  'ct state vmap { established : accept, related : accept, invalid : drop }',
  'ct state vmap { established : jump foo, new : goto bar }',
  '!ct state vmap { established : goto "bar" }',
  '!ct count over 10 drop',
  '!ct count 10',
  '!counter name foo',
  'counter packets 1 bytes 2 accept',
  'counter packets 1 packets 2',
  '!counter packets 1 name x',
  'counter',
  'limit rate 10/second accept',
  'limit rate over 10/minute burst 5 packets drop',
  'limit rate until 3/hour burst 5 drop',
  'limit rate 1/day',
  '!limit rate 10/fortnight',
  '!limit rate 10 mbytes/second',
  '!limit rate 10/second burst 5 bytes',
  '!limit name foo',
  'iifname $LAN oifname $WAN accept',
  'iifname "eth*" accept',
  'iifname eth* accept',
  'iifname { "eth0", "eth1" } accept',
  '!meta l4proto { tcp, udp } flow add @ft',
  'meta l4proto { tcp, udp }',
  '!meta mark set 1',
  'meta mark 0x1 accept',
  'ip saddr @blocklist drop',
  'ip saddr @"quoted" drop',
  'ip saddr != @blocklist drop',
  'tcp dport vmap @svc',
  'tcp dport vmap $svc',
  '!tcp dport vmap $map',
  'tcp dport vmap { 22 : accept, 80 : drop }',
  'tcp dport vmap { 22 : accept, 80 : jump web }',
  'ip daddr 10.0.0.1 tcp dport 80 jump web comment "web traffic"',
  'accept comment web',
  '!accept comment "x" extra',
  'jump $target',
  'goto "x"',
  '!jump { accept }',
  '!tcp foo 22',
  '!tcp',
  '!ip saddr . ip daddr { 1.2.3.4 . 5.6.7.8 }',
  '!ip saddr & 0xff == 1',
  'tcp flags syn / syn,ack',
  'tcp flags syn,ack',
  '!tcp flags & (syn|ack) == syn',
  '!tcp option maxseg size 1400',
  'ip6 nexthdr tcp',
  'ether type ip',
  'ether saddr aa:bb:cc:dd:ee:ff',
  'meta l4proto udp udp dport 39057 limit rate 85/second accept',
  'icmp type echo-request accept',
  'icmpv6 type { nd-neighbor-solicit, nd-router-advert } accept',
  'tcp dport 1024-65535 accept',
  'tcp dport != 1024-65535 accept',
  'ip saddr 10.0.0.0 / 8',
  'ip saddr 10.0.0.0 - 10.0.0.9 accept',
  'ip saddr *',
  '!ct mark set ct mark | 1',
  '!ip saddr 1.1.1.1 counter accept comment',
  '!fib daddr type local accept',
  'th dport 22',
  'ip dscp cs1',
  'ip saddr { 10.0.0.0/8, 192.168.0.0/16 } accept',
  'ip saddr { 10.0.0.0-10.0.0.9, 192.168.0.0/16, $X, @s } accept',
  'tcp dport { 22 : accept }',
  '!ct helper set "ftp"',
  '!reject with tcp reset',
  '!log prefix "x" accept',
  '!masquerade',
  '!snat to 1.2.3.4',
  '!notrack',
  'ip saddr \\\n\t\t\t1.2.3.4 accept',
  'ip saddr 1.2.3.4 accept # a comment',
  'udp dport 53 accept; tcp dport 53 accept',
  'meta iifname lo accept',
  'ct original ip saddr 1.2.3.4',
  'vlan id 10 ip saddr 1.2.3.4',
  '!ip saddr 1.2.3.4 vmap',
  '!ip saddr accept',
  '!ip saddr 1.2.3.4 }',
  'ip saddr 1.2.3.4 accept accept drop',
  'tcp dport ssh accept',
  'tcp dport { ssh, http } accept',
  'ip protocol icmp accept',
  'meta nfproto ipv4 accept',
];

describe('plain rules read without the grammar', () => {
  const heads = expressionStatementHeads(new NftParser({ skipValidations: true }).getGAstProductions().statement);

  /** The reader on a lexed rule: whether it takes the whole line. */
  function readsWhole(rule: string): boolean {
    const tokens = lex(rule).tokens;
    const reader = new PlainRuleReader({ LA: (k: number): IToken => (k >= 1 && k <= tokens.length ? tokens[k - 1] : END_OF_INPUT) }, heads);
    const r = reader.read();
    if (!r) return false;
    const rest = reader.LA(1);
    return rest.tokenType === EOF || rest.image === ';';
  }

  it('knows the selectors that begin only a match, read from the grammar', () => {
    const words = [...heads].map((t) => t.LABEL);
    for (const w of ['ip', 'ip6', 'tcp', 'udp', 'th', 'ct', 'meta', 'iifname', 'oifname', 'ether', 'icmp', 'icmpv6', 'vlan']) expect(words).toContain(w);
    for (const w of ['fib', 'counter', 'log', 'accept']) expect(words).not.toContain(w);
  });

  it.each(EDGE_RULES.map((r) => [r.replace(/^!/, ''), !r.startsWith('!')]))('%s: read plain = %s', (rule, plain) => {
    expect(readsWhole(rule as string)).toBe(plain);
  });

  it.each(EDGE_RULES.map((r) => [r.replace(/^!/, '')]))('%s: same reading in every context', (rule) => {
    expectSameReading(`define LAN = "lan0"\ntable inet t {\n\tchain c {\n\t\t${rule}\n\t}\n}\n`);
    expectSameReading(`table inet t {\n\tchain c {\n\t\tip saddr 1.1.1.1 accept\n\t\t${rule}\n\t\tdrop\n\t}\n}\n`);
    expectSameReading(`table inet t {\n\tchain c { ${rule} }\n}\n`);
    expectSameReading(`add rule inet t c ${rule}\nadd rule inet t c accept`);
    expectSameReading(`add rule inet t c ${rule}`);
    expectSameReading(`table inet t {\n\tchain c {\n\t\tjump {\n\t\t\t${rule}\n\t\t}\n\t}\n}\n`);
  });

  it('reads every rule of a generated ruleset plain, the same as the grammar', () => {
    const text = execFileSync(process.execPath, [join(SHARED_DIR, 'bench/gen-ruleset.mjs'), '--elements', '200', '--rules', '2000'], { encoding: 'utf8' });
    const read = vi.spyOn(PlainRuleReader.prototype, 'read');
    try {
      parseRuleset(text, { keepTokens: false });
      const results = read.mock.results.map((r) => r.value as unknown);
      expect(results.length).toBeGreaterThanOrEqual(2000);
      // All but the few rules of the base chains (`tcp dport vmap @service_ports` is plain too).
      expect(results.filter((r) => r !== undefined).length / results.length).toBeGreaterThan(0.99);
    } finally {
      read.mockRestore();
    }
    expectSameReading(text);
  });
});

describe('plain rules and the grammar read the corpus alike', () => {
  const files: [string, string][] = [
    ...listFiles(join(CORPUS_DIR, 'dumps')).map((f): [string, string] => [`dumps/${f}`, readFileSync(join(CORPUS_DIR, 'dumps', f), 'utf8')]),
    ...listFiles(join(CORPUS_DIR, 'bogons')).map((f): [string, string] => [`bogons/${f}`, readFileSync(join(CORPUS_DIR, 'bogons', f), 'latin1')]),
    ...listFiles(join(CORPUS_DIR, 'realworld'), (f) => f.endsWith('.nft')).map((f): [string, string] => [`realworld/${f}`, readFileSync(join(CORPUS_DIR, 'realworld', f), 'utf8')]),
  ];
  it('has the corpus', () => expect(files.length).toBeGreaterThan(450));
  it.each(files)('%s', (_name, text) => expectSameReading(text));

  const PY = join(CORPUS_DIR, 'py');
  it.each(listFiles(PY, (f) => f.endsWith('.t')))('py/%s: every line, ok and fail, in every context', (name) => {
    for (const line of readPyTest(join(PY, name))) for (const ctx of line.contexts) expectSameReading(rulesetFor(line, ctx).text);
  });
});
