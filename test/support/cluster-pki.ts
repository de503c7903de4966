/**
 * The certificates and keys of one test cluster, made with the `openssl` CLI (as a kubeadm user would by hand):
 * a CA, the API server's serving certificate for the loopback names, an admin client certificate in
 * `system:masters`, and the service-account signing key pair. Valid for two days: a test cluster lives minutes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterPki {
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** CN=admin, O=system:masters: the client-certificate way in, beside the admin token. */
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

const DAYS = '2';
// P-256 keys are made in milliseconds where RSA takes a noticeable share of the cluster's startup.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: readonly string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('the `openssl` command is not on PATH; the test cluster makes its CA and certificates with it (apt-get install openssl)');
  }
  if (result.error || result.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
}

/** A certificate for SUBJECT signed by the CA in DIR, with the given X.509 v3 extensions. */
function signed(dir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', DAYS, '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

export function makeClusterPki(parent: string): ClusterPki {
  const dir = join(parent, 'pki');
  mkdirSync(dir, { mode: 0o700 });
  openssl(
    ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', DAYS, '-subj', '/CN=kubeharden-test-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  signed(dir, 'server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'admin', '/O=system:masters/CN=admin', 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  // RSA, so service-account tokens are RS256 like on a kubeadm cluster.
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const at = (file: string) => join(dir, file);
  return {
    caCert: at('ca.crt'),
    caKey: at('ca.key'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    adminCert: at('admin.crt'),
    adminKey: at('admin.key'),
    serviceAccountKey: at('sa.key'),
    serviceAccountPublicKey: at('sa.pub'),
  };
}
