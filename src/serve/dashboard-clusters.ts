/**
 * Which clusters of the history one agent's dashboard shows. Agents of a fleet share one database, but each
 * dashboard's access is decided by its own cluster's API server (TokenReview and SubjectAccessReview): someone that
 * server lets in may have no business with the other clusters. So a dashboard shows its own cluster, and another
 * cluster only when the operator names it (`--dashboard-clusters prod-us,staging`, or `*` for every cluster).
 * Within those, off the loopback interface, the reader's RBAC decides per cluster (access.ts `allowsCluster`).
 */
export class DashboardClusters {
  private constructor(
    readonly own: string,
    /** Other clusters shown: their names, or 'all'. */
    private readonly others: ReadonlySet<string> | 'all',
  ) {}

  /** From `--dashboard-clusters`: comma-separated names, `*` for all, empty for the own cluster only. */
  static parse(own: string, flag: string): DashboardClusters {
    const names = flag.split(',').map((name) => name.trim()).filter((name) => name !== '');
    if (names.includes('*')) return new DashboardClusters(own, 'all');
    return new DashboardClusters(own, new Set(names));
  }

  static ownOnly(own: string): DashboardClusters {
    return new DashboardClusters(own, new Set());
  }

  shows(cluster: string): boolean {
    return cluster === this.own || this.others === 'all' || this.others.has(cluster);
  }

  /** How the dashboard says what it shows. */
  describe(): string {
    if (this.others === 'all') return 'every cluster in the history';
    return this.others.size === 0 ? 'this agent\u2019s cluster only' : `this agent\u2019s cluster and ${[...this.others].sort().join(', ')}`;
  }
}
