// Every workflow the worker registers. Workflow code must stay deterministic: no Node built-ins,
// no pg, no clock or randomness but Temporal's (the linter enforces the imports).
export { assessWorkflow } from './assess';
export { defectsWorkflow } from './defects';
export { exportWorkflow } from './export';
export { monitorWorkflow } from './monitor';
export { rollbackWorkflow } from './rollback';
export { upgradeWorkflow } from './upgrade';
export { verifyWorkflow } from './verify';
