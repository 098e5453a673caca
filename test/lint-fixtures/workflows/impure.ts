// Deliberately breaks the workflow rules; test/unit/lint.test.ts checks that ESLint says so.
import fs from 'node:fs';
import pg from 'pg';
import { createAssessActivities } from '../../../activities/assess';

export async function impure(): Promise<void> {
  void fs;
  void pg;
  void createAssessActivities;
  Promise.resolve(1);
}
