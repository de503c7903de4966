/**
 * The defaults of `vuln db update`, apart from the updater so that the command line can show them in its flags
 * without loading the updater (its zip reader and the OSV schema validator) at every start.
 */
export const DEFAULT_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/** The ecosystems the image scanner finds packages of. */
export const DEFAULT_ECOSYSTEMS: readonly string[] = ['Alpine', 'Debian', 'Ubuntu', 'Red Hat', 'Go', 'Maven', 'npm', 'PyPI'];
