"use strict";
/**
 * A node:test reporter that prints the closing line CI reads: `N passed, N failed[, N skipped]`.
 * Suites are not counted, only tests.
 */
async function* summary(source) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for await (const event of source) {
        const isSuite = event.data?.details?.type === 'suite';
        if (event.type === 'test:pass' && !isSuite) {
            if (event.data.skip || event.data.todo)
                skipped++;
            else
                passed++;
        }
        else if (event.type === 'test:fail' && !isSuite) {
            failed++;
        }
    }
    yield `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
module.exports = summary;
//# sourceMappingURL=summary-reporter.js.map