import { z } from 'zod';
import { DatabaseName } from './database-name';

/** Workflow inputs, validated by the client before start and by the workflow on entry. */
export const AssessWorkflowInput = z
  .object({
    database: DatabaseName,
    /** Blue's base URL, read by the worker for the service's memory (the runbook's Memory and CPU Planning). */
    blueUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL of the running service, e.g. http://127.0.0.1:8080' }).optional(),
  })
  .strict();
export type AssessWorkflowInput = z.infer<typeof AssessWorkflowInput>;
