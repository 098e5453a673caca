"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.jsonBody = jsonBody;
exports.slackBody = slackBody;
const alerts_1 = require("../../common/alerts");
const TITLE = {
    run_started: 'upgrade started',
    blocked_by_defects: 'upgrade blocked by legacy defects',
    awaiting_approval: 'upgrade awaiting approval of the switch',
    switched: 'traffic switched to green',
    monitoring_breach: 'monitoring of green breached its thresholds',
    rolled_back: 'upgrade rolled back',
    rollback_failed: 'ROLLBACK FAILED: manual intervention required',
    finalized: 'upgrade finalized',
};
const ICON = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };
/** The generic JSON body: one flat object a receiver can route on (`event`, `severity`). */
function jsonBody(e) {
    return {
        source: 'stp-upgrade',
        event: e.event,
        severity: alerts_1.ALERT_SEVERITY[e.event],
        title: TITLE[e.event],
        runId: e.runId,
        database: e.database,
        ...(e.phase ? { phase: e.phase } : {}),
        ...(e.step ? { step: e.step } : {}),
        message: (0, alerts_1.redact)(e.message),
        at: e.at,
    };
}
/** A Slack incoming-webhook body: `text` (the notification line) and `blocks` for the channel. */
function slackBody(e) {
    const severity = alerts_1.ALERT_SEVERITY[e.event];
    const text = `${ICON[severity]} stp-upgrade ${e.runId}: ${TITLE[e.event]}`;
    const context = [`database *${e.database}*`, e.phase && `phase *${e.phase}*`, e.step && `step *${e.step}*`, e.at].filter(Boolean).join(' · ');
    return {
        text,
        blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: `*${text}*\n${(0, alerts_1.redact)(e.message).slice(0, 2900)}` } },
            { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
        ],
    };
}
//# sourceMappingURL=bodies.js.map