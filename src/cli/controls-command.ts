import { CONTROLS } from '../controls/index.js';
import type { FrameworkId } from '../engine/types.js';
import { catalogFor, renderCatalogJson, renderCatalogTable } from '../report/catalog.js';
import { catalogFix } from '../fix/fixes/index.js';
import { colorEnabled, palette } from '../report/color.js';
import { UsageError } from './usage-error.js';

export interface ControlsOptions {
  framework: FrameworkId;
  format: 'table' | 'json';
  color?: boolean;
}

export function runControls(options: ControlsOptions, ids: readonly string[] = []): number {
  const all = catalogFor(CONTROLS, options.framework, catalogFix);
  const unknown = ids.filter((id) => !all.some((entry) => entry.id === id));
  if (unknown.length > 0) throw new UsageError(`unknown control ${unknown.join(', ')}${options.framework === 'all' ? '' : ` in framework ${options.framework}`} (see kubeharden controls)`);
  const entries = ids.length === 0 ? all : all.filter((entry) => ids.includes(entry.id));
  const colors = palette(colorEnabled(process.stdout, options.color, process.env));
  process.stdout.write(options.format === 'json' ? renderCatalogJson(entries) : renderCatalogTable(entries, colors));
  return 0;
}
