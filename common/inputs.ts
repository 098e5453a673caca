import { z } from 'zod';
import { DatabaseName } from './database-name';

/** Workflow inputs, validated by the client before start and by the workflow on entry. */
export const AssessWorkflowInput = z.object({ database: DatabaseName }).strict();
export type AssessWorkflowInput = z.infer<typeof AssessWorkflowInput>;
