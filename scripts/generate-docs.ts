// Writes docs/controls.md from the control catalog (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { CONTROLS } from '../src/controls/index.js';
import { renderControlsMarkdown } from '../src/report/controls-markdown.js';

writeFileSync('docs/controls.md', renderControlsMarkdown(CONTROLS));
console.log('wrote docs/controls.md');
