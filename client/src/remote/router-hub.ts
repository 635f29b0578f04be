/**
 * Owns the configured routers' runtime state: one kept SSH session per connected router, the live
 * ruleset's predictor, the latest flows report, hardware facts and chart series, and the periodic
 * refresh (`nftablesOffload.remote.refreshSeconds`). The view, status bar, dashboard and commands
 * read it and listen to `onDidChange`.
 * Host keys accepted "once" are remembered for this VS Code session (keyed by host, port and
 * fingerprint), so the safe apply's extra connections do not ask again in the middle of the
 * rollback window.
 */
import * as vscode from 'vscode';
import {
  connectRouter, detectRouterProfile, pullRuleset, readFlows, RouterCommands, SshError, describeTarget,
  type HostKeyPrompt, type RouterSession,
} from '../../../server/src/remote';
import { ContextKeys } from '../commands/command-ids';
import { readSettings, SETTINGS_SECTION, type RouterSetting } from '../settings';
import { ChartSeries } from './chart-series';
import { connectOptionsFor, knownHostsSaveFile, routerTarget } from './connect-options';
import { makeHostKeyPrompt } from './host-key-prompt';
import { predictRuleset, type RulesetPrediction } from '../../../server/src/preview';
import { buildHwPreview, readRouterFacts, type RouterFacts } from '../../../server/src/preview';
import type { RouterSecrets } from './router-secrets';
import type { RouterViewState } from './router-tree-model';
import { promptSecret } from './secret-prompt';

export const DEFAULT_REFRESH_SECONDS = 5;

export interface RouterEntry {
  setting: RouterSetting;
  state: RouterViewState;
  session?: RouterSession;
  prediction?: RulesetPrediction;
  facts?: RouterFacts;
  series: ChartSeries;
  flowsAt?: Date;
  timer?: ReturnType<typeof setInterval>;
  refreshing?: Promise<void>;
  connecting?: Promise<RouterSession>;
  /** Bumped on every (dis)connect, so a late result of an old session is dropped. */
  generation: number;
}

export class RouterHub implements vscode.Disposable {
  private readonly entries = new Map<string, RouterEntry>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  private readonly acceptedOnce = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private selectedName: string | undefined;
  /** Fires with a router name, or undefined when the list itself changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: RouterSecrets, private readonly log: vscode.OutputChannel) {
    this.reload();
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.remote.routers`)) this.reload();
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.remote.refreshSeconds`)) for (const en of this.entries.values()) if (en.timer) this.startTimer(en);
      }),
    );
  }

  /** Syncs with the settings: new routers appear, removed ones disconnect, changed ones reconnect. */
  reload(): void {
    const routers = readSettings().remote.routers.filter((r) => r && typeof r.name === 'string' && typeof r.url === 'string');
    const names = new Set(routers.map((r) => r.name));
    for (const [name, e] of this.entries) {
      if (!names.has(name)) {
        this.disconnect(name);
        this.entries.delete(name);
      }
    }
    for (const r of routers) {
      const e = this.entries.get(r.name);
      if (!e) {
        this.entries.set(r.name, { setting: r, state: { name: r.name, url: r.url, connection: 'disconnected' }, series: new ChartSeries(), generation: 0 });
      } else if (JSON.stringify(e.setting) !== JSON.stringify(r)) {
        this.disconnect(r.name);
        e.setting = r;
        e.state.url = r.url;
      }
    }
    if (this.selectedName && !this.entries.has(this.selectedName)) this.selectedName = undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasRouters, this.entries.size > 0);
    this.changed.fire(undefined);
  }

  list(): RouterEntry[] {
    return [...this.entries.values()];
  }

  get(name: string): RouterEntry | undefined {
    return this.entries.get(name);
  }

  /** The router the status bar shows: the one picked last, else the first connected one. */
  get selected(): RouterEntry | undefined {
    const picked = this.selectedName ? this.entries.get(this.selectedName) : undefined;
    return picked ?? this.list().find((e) => e.state.connection === 'connected');
  }

  select(name: string): void {
    if (!this.entries.has(name) || this.selectedName === name) return;
    this.selectedName = name;
    this.changed.fire(name);
  }

  refreshSeconds(): number {
    const v = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('remote.refreshSeconds', DEFAULT_REFRESH_SECONDS);
    return typeof v === 'number' && v >= 1 ? v : DEFAULT_REFRESH_SECONDS;
  }

  private hostKeyPrompt(setting: RouterSetting): HostKeyPrompt {
    const ask = makeHostKeyPrompt(knownHostsSaveFile(setting), (m) => this.log.appendLine(m));
    return async (q) => {
      const key = `${q.host} ${q.port} ${q.fingerprint}`;
      if (this.acceptedOnce.has(key)) return true;
      const ok = await ask(q);
      if (ok) this.acceptedOnce.add(key);
      return ok;
    };
  }

  /** A NEW connection (safe apply needs one per step); the caller closes it. */
  async newConnection(name: string): Promise<RouterSession> {
    const e = this.entries.get(name);
    if (!e) throw new Error(`no router named ${JSON.stringify(name)} in nftablesOffload.remote.routers`);
    const target = routerTarget(e.setting);
    if ('error' in target) throw new Error(`${name}: ${target.error}`);
    const attempt = this.secrets.attempt(e.setting.url, (req) => promptSecret(req, name));
    try {
      const session = await connectRouter(
        connectOptionsFor(e.setting, target, { secretProvider: attempt.provider, hostKeyPrompt: this.hostKeyPrompt(e.setting), log: (m) => this.log.appendLine(m) }),
      );
      await attempt.succeeded();
      return session;
    } catch (err) {
      if (err instanceof SshError && err.kind === 'auth') await attempt.authFailed();
      throw err;
    }
  }

  /** Connects (once) and starts refreshing; resolves to the kept session. */
  async connect(name: string): Promise<RouterSession> {
    const e = this.entries.get(name);
    if (!e) throw new Error(`no router named ${JSON.stringify(name)}`);
    if (e.session) return e.session;
    if (e.connecting) return e.connecting;
    const gen = ++e.generation;
    e.state = { name, url: e.setting.url, connection: 'connecting' };
    this.changed.fire(name);
    e.connecting = (async () => {
      try {
        const s = await this.newConnection(name);
        if (gen !== e.generation) {
          s.close();
          throw new Error(`${name}: connection cancelled`);
        }
        e.session = s;
        e.series = new ChartSeries();
        e.state = { name, url: e.setting.url, connection: 'connected', target: describeTarget(s.target) };
        try {
          const p = await detectRouterProfile(s);
          e.state.profile = { openwrt: p.openwrt, fw4: p.fw4 };
        } catch {
          /* the profile is a hint for the view; apply detects it again */
        }
        this.startTimer(e);
        void this.refresh(name, { pull: true });
        if (!this.selectedName) this.selectedName = name;
        return s;
      } catch (err) {
        if (gen === e.generation) e.state = { name, url: e.setting.url, connection: 'error', error: (err as Error).message };
        throw err;
      } finally {
        e.connecting = undefined;
        this.changed.fire(name);
      }
    })();
    return e.connecting;
  }

  disconnect(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    e.generation++;
    if (e.timer) clearInterval(e.timer);
    e.timer = undefined;
    e.session?.close();
    e.session = undefined;
    e.prediction = undefined;
    e.facts = undefined;
    e.state = { name, url: e.setting.url, connection: 'disconnected' };
    this.changed.fire(name);
  }

  private startTimer(e: RouterEntry): void {
    if (e.timer) clearInterval(e.timer);
    e.timer = setInterval(() => void this.refresh(e.setting.name), this.refreshSeconds() * 1000);
  }

  /** Reads flows (and, with `pull`, the live ruleset and hardware facts again). */
  refresh(name: string, opts: { pull?: boolean } = {}): Promise<void> {
    const e = this.entries.get(name);
    if (!e?.session) return Promise.resolve();
    if (e.refreshing) return e.refreshing;
    const session = e.session;
    const gen = e.generation;
    e.refreshing = (async () => {
      try {
        if (opts.pull || !e.prediction) {
          const text = await pullRuleset(session);
          if (gen !== e.generation) return;
          e.prediction = predictRuleset(`${name}: nft list ruleset`, text);
        }
        const report = await readFlows(session, { factory: e.prediction!.factory });
        if (gen !== e.generation) return;
        e.state.flows = report;
        e.state.flowsError = undefined;
        e.flowsAt = new Date();
        e.series.add(e.flowsAt.getTime(), report);
        if (opts.pull || !e.facts) {
          try {
            e.facts = await readRouterFacts(session);
            e.state.previewError = undefined;
          } catch (err) {
            e.state.previewError = (err as Error).message;
          }
        }
        if (e.facts) e.state.preview = buildHwPreview(e.facts, report.flowtables);
      } catch (err) {
        if (gen !== e.generation) return;
        if (await this.isAlive(session)) {
          e.state.flowsError = (err as Error).message;
        } else {
          this.log.appendLine(`${name}: connection lost: ${(err as Error).message}`);
          this.disconnect(name);
          e.state = { name, url: e.setting.url, connection: 'error', error: `connection lost: ${(err as Error).message}` };
        }
      } finally {
        e.refreshing = undefined;
        this.changed.fire(name);
      }
    })();
    return e.refreshing;
  }

  private async isAlive(session: RouterSession): Promise<boolean> {
    try {
      await session.exec(RouterCommands.kernelRelease, undefined, { timeoutMs: 5_000 });
      return true;
    } catch {
      return false;
    }
  }

  dispose(): void {
    for (const name of this.entries.keys()) this.disconnect(name);
    for (const d of this.disposables) d.dispose();
  }
}
