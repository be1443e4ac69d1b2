import { buildAll } from '/work/main/pipeline/build.ts';
import { projectAt } from '/work/main/pipeline/config/load-book.ts';
import { formatText } from '/work/main/pipeline/report/format.ts';
const [root, ...rest] = process.argv.slice(2);
const project = { ...projectAt(root!, process.env.OUT), templates: '/work/main/templates', indicators: '/work/main/indicators' };
const r = await buildAll({ project, format: 'html', release: rest.includes('--release'), checkOnly: rest.includes('--check') });
console.log(formatText(r.diagnostics, { cwd: root, codeFrame: false }));
console.log(r.ok, r.editions.map((e) => e.book + '/' + e.edition + ':' + e.ok).join(' '), r.manifest ?? '');
