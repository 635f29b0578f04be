// The "Routers" tree view: renders router-tree-model.ts specs as TreeItems.
import * as vscode from 'vscode';
import { buildRouterNode, type TreeNodeSpec } from './router-tree-model';
import type { RouterHub } from './router-hub';

export class RoutersTreeProvider implements vscode.TreeDataProvider<TreeNodeSpec>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNodeSpec | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly hub: RouterHub) {
    // Whole-tree refresh: ids are stable, so expansion and selection survive it.
    this.sub = hub.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: TreeNodeSpec): TreeNodeSpec[] {
    if (!element) return this.hub.list().map((e) => buildRouterNode(e.state));
    return element.children ?? [];
  }

  getTreeItem(n: TreeNodeSpec): vscode.TreeItem {
    const state = n.children === undefined
      ? vscode.TreeItemCollapsibleState.None
      : n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.contextValue = n.contextValue;
    if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon, n.iconColor ? new vscode.ThemeColor(n.iconColor) : undefined);
    if (n.command) item.command = { command: n.command.id, title: n.command.title, arguments: n.command.args };
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
