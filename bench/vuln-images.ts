/**
 * Image reading at scale: 50 images pushed to the real distribution registry (test/go-tools/registry), built on two
 * shared base images (a 24 MiB layer with a 300-package dpkg status, and an 8 MiB runtime layer) plus one app
 * layer of their own (npm lockfile, 1 MiB), read with the real package extractors: wall time, bytes read from the
 * registry, peak memory, with the layer cache cold and warm, and without it.
 *
 *   node --expose-gc dist/bench/run.js --vuln-images-only
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NO_CREDENTIALS } from '../src/vuln/image/docker-config.js';
import { parsePlatform } from '../src/vuln/image/manifest.js';
import { imagePackageExtractor } from '../src/vuln/image/package-extractor.js';
import { scanImages } from '../src/vuln/image/scan-images.js';
import { image, layer, push, type Layer } from '../test/support/oci-images.js';
import { startRegistry } from '../test/support/registry-harness.js';
import { tempDir } from '../test/support/temp-dir.js';

const IMAGES = 50;
const MIB = 1024 * 1024;

function dpkgStatus(count: number): string {
  return Array.from({ length: count }, (_, i) => `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nSource: src${i % 40}\nVersion: 1.${i}.0-1\nDescription: package ${i}\n`).join('\n');
}

async function baseImageLayers(variant: number): Promise<Layer[]> {
  const os = await layer([
    { path: 'etc/os-release', content: `ID=debian\nVERSION_ID="12"\nPRETTY_NAME="bench ${variant}"\n` },
    { path: 'var/lib/dpkg/status', content: dpkgStatus(300) },
    ...Array.from({ length: 24 }, (_, i) => ({ path: `usr/share/filler/${variant}-${i}.bin`, content: randomBytes(MIB) })),
  ]);
  const runtime = await layer(Array.from({ length: 8 }, (_, i) => ({ path: `opt/runtime/${variant}-${i}.bin`, content: randomBytes(MIB) })));
  return [os, runtime];
}

interface Pass {
  readonly name: string;
  readonly seconds: number;
  readonly bytesRead: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly layersRead: number;
  readonly layersCached: number;
  readonly packages: number;
  readonly errors: number;
}

async function pass(name: string, references: string[], cacheDir: string | null): Promise<Pass> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.arrayBuffers);
  };
  const timer = setInterval(sample, 25);
  const started = performance.now();
  const result = await scanImages(references, { platform: parsePlatform('linux/amd64'), extractor: imagePackageExtractor(), credentials: NO_CREDENTIALS, cacheDir, concurrency: 4 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  sample();
  const read = result.outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result] : []));
  return {
    name,
    seconds,
    bytesRead: read.reduce((sum, one) => sum + one.stats.bytesRead, 0),
    peakRssMiB: peakRss / MIB,
    peakHeapMiB: peakHeap / MIB,
    layersRead: read.reduce((sum, one) => sum + one.stats.layersRead, 0),
    layersCached: read.reduce((sum, one) => sum + one.stats.layersCached, 0),
    packages: read.reduce((sum, one) => sum + one.inventory.packages.length, 0),
    errors: result.outcomes.length - read.length,
  };
}

export async function benchVulnImages(): Promise<void> {
  const registry = await startRegistry('anonymous');
  if ('skip' in registry) {
    console.log(`vuln images: skipped: ${registry.skip}`);
    return;
  }
  const work = tempDir('bench-vuln-images');
  try {
    const bases = [await baseImageLayers(0), await baseImageLayers(1)];
    const references: string[] = [];
    let pushedBytes = 0;
    for (let i = 0; i < IMAGES; i++) {
      const lock = { name: `app${i}`, lockfileVersion: 3, packages: Object.fromEntries([['', { name: `app${i}` }], ...Array.from({ length: 50 }, (_, p) => [`node_modules/dep${p}`, { version: `1.${(i + p) % 9}.0` }])]) };
      const app = await layer([{ path: 'app/package-lock.json', content: JSON.stringify(lock) }, { path: 'app/blob.bin', content: randomBytes(MIB) }]);
      const built = image([...bases[i % 2]!, app]);
      await push(registry, `bench/app${i}`, '1', [built]);
      pushedBytes += built.layers.reduce((sum, l) => sum + l.size, 0);
      references.push(`${registry.host}/bench/app${i}:1`);
    }
    const cacheDir = join(work, 'cache');
    const passes = [await pass('no cache', references, null), await pass('cache cold', references, cacheDir), await pass('cache warm', references, cacheDir)];
    console.log(`\nvuln images: ${IMAGES} images on 2 shared bases (${(pushedBytes / MIB).toFixed(0)} MiB of layers if read once per image), real registry, 4 at a time`);
    console.log('pass         wall s   MiB read  layers read  layers cached  packages  errors  peak RSS MiB  peak heap+buffers MiB');
    for (const p of passes) {
      console.log(
        `${p.name.padEnd(11)}  ${p.seconds.toFixed(2).padStart(6)}  ${(p.bytesRead / MIB).toFixed(1).padStart(8)}  ${String(p.layersRead).padStart(11)}  ${String(p.layersCached).padStart(13)}  ${String(p.packages).padStart(8)}  ${String(p.errors).padStart(6)}  ${p.peakRssMiB.toFixed(0).padStart(12)}  ${p.peakHeapMiB.toFixed(0).padStart(21)}`,
      );
    }
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
