import { CONTROLS } from '../controls/index.js';
import type { FrameworkId } from '../engine/types.js';
import { catalogFor, renderCatalogJson, renderCatalogTable } from '../report/catalog.js';
import { catalogFix } from '../fix/fixes/index.js';
import { colorEnabled, palette } from '../report/color.js';

export interface ControlsOptions {
  framework: FrameworkId;
  format: 'table' | 'json';
  color?: boolean;
}

export function runControls(options: ControlsOptions): number {
  const entries = catalogFor(CONTROLS, options.framework, catalogFix);
  const colors = palette(colorEnabled(process.stdout, options.color, process.env));
  process.stdout.write(options.format === 'json' ? renderCatalogJson(entries) : renderCatalogTable(entries, colors));
  return 0;
}
