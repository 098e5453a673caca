import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseUrlVariable, DatabaseName } from '../../common/database-name';

test('database names map to environment variables, never URLs', () => {
  assert.equal(databaseUrlVariable('primary'), 'STP_DATABASE_URL');
  assert.equal(databaseUrlVariable('reporting'), 'STP_DATABASE_URL_REPORTING');
  assert.equal(DatabaseName.safeParse('postgres://u:p@h/db').success, false);
  assert.equal(DatabaseName.safeParse('primary').success, true);
});
