/**
 * A node:test reporter that ends the run with the tests it skipped and why (e.g. the
 * known-answer tests on CDNOW when the data is not found), so a green run on a machine
 * without the data says what it did not check. Used beside the spec reporter (package.json).
 * Plain JavaScript: node loads reporters before the tsx loader is registered.
 */
/** @param {AsyncIterable<{ type: string, data: { name: string, skip?: boolean | string, file?: string } }>} source */
export default async function* skippedTestsReporter(source) {
  const skipped = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' || event.data.skip === undefined || event.data.skip === false) continue;
    const why = typeof event.data.skip === 'string' ? event.data.skip : 'skipped';
    const where = event.data.file ? ` [${event.data.file.replace(/^.*\/tests\//, 'tests/')}]` : '';
    skipped.push(`  - ${event.data.name}${where}: ${why}`);
  }
  yield skipped.length === 0 ? '\nSkipped tests: none\n' : `\nSkipped tests (${skipped.length}):\n${skipped.join('\n')}\n`;
}
