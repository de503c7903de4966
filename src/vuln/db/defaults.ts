/**
 * The defaults of `vuln db update`, apart from the updater so that the command line can show them in its flags
 * without loading the updater (its zip reader and the OSV schema validator) at every start.
 */
export const DEFAULT_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/** The ecosystems the image scanner finds packages of. */
export const DEFAULT_ECOSYSTEMS: readonly string[] = ['Alpine', 'Debian', 'Ubuntu', 'Red Hat', 'Go', 'Maven', 'npm', 'PyPI'];

/** The source name of the official Kubernetes CVE feed among the ecosystems. */
export const KUBERNETES_SOURCE = 'kubernetes';
export const DEFAULT_KUBERNETES_FEED_URL = 'https://kubernetes.io/docs/reference/issues-security/official-cve-feed/index.json';
export const DEFAULT_KUBERNETES_OSV_URL = 'https://raw.githubusercontent.com/kubernetes-sigs/cve-feed-osv/main/vulns';

/** What `vuln db update` fetches by default: those exports, and the Kubernetes CVE feed for `vuln --cluster`. */
export const DEFAULT_SOURCES: readonly string[] = [...DEFAULT_ECOSYSTEMS, KUBERNETES_SOURCE];
