import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodIssue, type FieldWords } from './errors.js';
import { PAYLOADS } from './events.js';
import { ProfileUpdateSchema } from './profile.js';

const CLI_PROFILE: FieldWords = { name: '--name', timeZone: '--tz', workingHours: '--hours' };
const CLI_DECLARE: FieldWords = { services: '--service', summary: '--summary' };

function said(schema: z.ZodType, value: unknown, opts: Parameters<typeof describeZodIssue>[1] = {}): string {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected the value to be refused');
  return describeZodIssue(r.error.issues, opts);
}

describe('describeZodIssue: a refusal in the words a person knows', () => {
  const declared = PAYLOADS['incident.declared'];
  it.each<[string, z.ZodType, unknown, Parameters<typeof describeZodIssue>[1], string]>([
    // The schema's own sentence, without the field's key in front of it.
    ['an empty title', declared, { title: ' ', severity: 2 }, {}, 'a title is required'],
    ['bad working hours', ProfileUpdateSchema, { workingHours: '9-5' }, {}, 'working hours look like 09:00-17:00'],
    // zod's generic wording, said again about the field.
    ['an empty service name', declared, { title: 'x', severity: 2, services: [''] }, {}, 'a service name cannot be empty'],
    ['a long service name', declared, { title: 'x', severity: 2, services: ['s'.repeat(81)] }, {}, 'a service name must be at most 80 characters'],
    ['too many services', declared, { title: 'x', severity: 2, services: Array.from({ length: 21 }, (_, i) => `s${i}`) }, {}, 'at most 20 services allowed'],
    ['a long name', ProfileUpdateSchema, { name: 'n'.repeat(81) }, {}, 'the name must be at most 80 characters'],
    ['a missing title', declared, { severity: 2 }, {}, 'the title is required'],
    ['a bad detection time', declared, { title: 'x', severity: 2, detectedAt: 'soon' }, {}, 'expected an ISO 8601 time'],
    ['an unknown key, named from the key', z.object({ impactStartedAt: z.string() }), {}, {}, 'impact started at is required'],
    // The CLI's option names in place of fields.
    ['bad --hours', ProfileUpdateSchema, { workingHours: '9-5' }, { words: CLI_PROFILE }, '--hours: working hours look like 09:00-17:00'],
    ['an empty --name', ProfileUpdateSchema, { name: '' }, { words: CLI_PROFILE }, '--name: a name is required'],
    ['an empty --service', declared, { title: 'x', severity: 2, services: ['ok', ' '] }, { words: CLI_DECLARE }, '--service cannot be empty'],
    ['too many --service', declared, { title: 'x', severity: 2, services: Array.from({ length: 21 }, (_, i) => `s${i}`) }, { words: CLI_DECLARE }, 'at most 20 --service allowed'],
    ['an empty --summary', declared, { title: 'x', severity: 2, summary: ' ' }, { words: CLI_DECLARE }, '--summary: text is empty'],
    ['an empty title, which the CLI does not rename', declared, { title: '', severity: 2 }, { words: CLI_DECLARE }, 'a title is required'],
    // A document a person wrote key by key: the path is their own words.
    ['a pack with paths', z.object({ bridges: z.array(z.object({ name: z.string().min(1) })) }), { bridges: [{ name: '' }] }, { paths: true }, 'bridges.0.name cannot be empty'],
  ])('%s', (_what, schema, value, opts, sentence) => {
    expect(said(schema, value, opts)).toBe(sentence);
  });

  it('never shows a field key followed by a colon unless the caller named the field', () => {
    for (const value of [{ workingHours: 'x' }, { name: '' }, { timeZone: 'Mars/Base' }, { name: 'n'.repeat(200) }]) {
      expect(said(ProfileUpdateSchema, value)).not.toMatch(/^(workingHours|name|timeZone)\b/);
    }
  });
});
