// Writes the krew plugin manifest (plugins/kubeharden.yaml) from the release archives of the single executable,
// one platform per archive, each with the sha256 of the archive's bytes:
//
//   npm run build:binary      # dist/sea/kubeharden-linux-x64.tar.gz (one per platform, built on each)
//   node scripts/krew-manifest.mjs dist/sea/kubeharden-*.tar.gz [--release-url URL] [--out FILE]
//
// --release-url is the folder the release publishes the archives in; each platform's `uri` is URL/<archive name>.
// The default is the GitHub release of package.json's version, with the repository owner left as <owner> (as in
// the rest of the docs): the release job passes its own URL. --out defaults to plugins/kubeharden.yaml; `-` prints.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './build-binary.mjs';

/** The release archive's platform (kubeharden-<platform>.tar.gz) as krew's os and arch labels, and the binary's name. */
const KREW_PLATFORMS = {
  'linux-x64': { os: 'linux', arch: 'amd64', bin: 'kubeharden' },
  'linux-arm64': { os: 'linux', arch: 'arm64', bin: 'kubeharden' },
  'darwin-x64': { os: 'darwin', arch: 'amd64', bin: 'kubeharden' },
  'darwin-arm64': { os: 'darwin', arch: 'arm64', bin: 'kubeharden' },
  'windows-x64': { os: 'windows', arch: 'amd64', bin: 'kubeharden.exe' },
};

export function defaultReleaseUrl(version) {
  return `https://github.com/<owner>/kubeharden/releases/download/v${version}`;
}

/** The manifest for these archives (paths), in krew's v1alpha2 format. */
export function krewManifest(archives, releaseUrl) {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const platforms = archives.map((archive) => {
    const name = basename(archive);
    const platform = /^kubeharden-(.+)\.tar\.gz$/.exec(name)?.[1];
    const krew = KREW_PLATFORMS[platform];
    if (!krew) throw new Error(`${archive}: not a release archive of a known platform (kubeharden-{${Object.keys(KREW_PLATFORMS).join(',')}}.tar.gz)`);
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    return [
      `  - selector:`,
      `      matchLabels:`,
      `        os: ${krew.os}`,
      `        arch: ${krew.arch}`,
      `    uri: ${releaseUrl ?? defaultReleaseUrl(version)}/${name}`,
      `    sha256: ${sha256}`,
      `    files:`,
      `      - from: ${krew.bin}`,
      `        to: .`,
      `      - from: LICENSE`,
      `        to: .`,
      `    bin: ${krew.bin}`,
    ].join('\n');
  });
  return `# Written by scripts/krew-manifest.mjs from the release archives of the single executable (npm run build:binary);
# the release runs it again with its own URL, so the sha256 here is that of the archive built when it was written.
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: kubeharden
spec:
  version: v${version}
  homepage: https://github.com/<owner>/kubeharden
  shortDescription: Harden Kubernetes with PSS and NSA/CISA checks
  description: |
    kubeharden checks Kubernetes manifests, Helm charts, Kustomize overlays and live clusters against the Pod
    Security Standards and the NSA/CISA hardening guidance, version-exact, and reports findings with file and line.
      kubectl kubeharden scan k8s/
      kubectl kubeharden cluster --context prod
    The plugin is kubeharden's single executable: everything but serve's SQLite history (use the npm package or
    the container image for that).
  platforms:
${platforms.join('\n')}
`;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const [, value] = args.splice(at, 2);
    return value;
  };
  const releaseUrl = option('--release-url');
  const out = option('--out') ?? join(PROJECT_ROOT, 'plugins', 'kubeharden.yaml');
  if (args.length === 0) {
    console.error('usage: node scripts/krew-manifest.mjs ARCHIVE... [--release-url URL] [--out FILE|-]');
    process.exit(2);
  }
  const manifest = krewManifest(args, releaseUrl);
  if (out === '-') process.stdout.write(manifest);
  else writeFileSync(out, manifest);
}
