const { Client, Connection } = require('@temporalio/client');
const { Worker, NativeConnection, Runtime, DefaultLogger } = require('@temporalio/worker');
const { createStubActivities } = require('/work/main/dist/test/workflow/stubs');
(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const scenarios = new Map(), logs = new Map();
  const tq = 'dbg5-' + Date.now();
  const worker = await Worker.create({ connection: await NativeConnection.connect({ address: '127.0.0.1:7233' }), taskQueue: tq, workflowsPath: require.resolve('/work/main/dist/workflows'), activities: createStubActivities(scenarios, logs), maxHeartbeatThrottleInterval: '20ms' });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:7233' }) });
  for (let i = 0; i < 5; i++) {
    let release; const gate = new Promise((r) => (release = r));
    const id = tq + '-' + i;
    scenarios.set(id, { slicesPerRule: 3, onSlice: (input, n) => (input.rule === 'chunks' && n === 1 ? gate : undefined) });
    const h = await client.workflow.start('upgradeWorkflow', { taskQueue: tq, workflowId: id, args: [{}] });
    await new Promise((r) => setTimeout(r, 500));
    await h.signal('pause'); release();
    await new Promise((r) => setTimeout(r, 500));
    await h.signal('resume');
    await new Promise((r) => setTimeout(r, i * 3));
    await h.signal('abort', { reason: 'r' });
    const r = await Promise.race([h.result().then(() => 'ok', (e) => 'failed: ' + e.cause?.message), new Promise((r) => setTimeout(() => r('TIMEOUT'), 15000))]);
    console.log('result', r, logs.get(id).calls.slice(4).join(','));
  }
  worker.shutdown(); await running;
})();
