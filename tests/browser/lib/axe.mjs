// axe-core in the page, for "0 serious or critical violations" checks. Contexts that use it need bypassCSP:
// the demo pages' and console's CSPs rightly forbid the injected script.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './server.mjs';

const source = readFileSync(join(root, 'widget', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The serious and critical violations on the page as it is now (open shadow roots included), as readable lines. */
export async function seriousViolations(page) {
  await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.split('\n').slice(1, 2).join('') : '')).join(' | ')}`));
  return violations;
}
