/** `Kind` for the core group, `group/Kind` otherwise: how object controls name the kinds they check. */
export function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? kind : `${apiVersion.slice(0, slash)}/${kind}`;
}
