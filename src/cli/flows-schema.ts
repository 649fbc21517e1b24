/** `setia flows schema`: JSON Schemas for flow files and test files, from the zod schemas that validate them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { TestFile } from '../flowtest/format.js';
import { FlowFile } from '../flows/schema.js';

export function jsonSchema(schema: z.ZodType, title: string): string {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}

export const SCHEMA_FILES = {
  flows: 'flows.schema.json',
  tests: join('tests', 'tests.schema.json'),
};

/** Writes both schemas into the flows directory, where the shipped files' $schema comments point. */
export function flowsSchema(flowsDir: string, out: NodeJS.WritableStream = process.stdout): number {
  const files: Array<[string, string]> = [
    [join(flowsDir, SCHEMA_FILES.flows), jsonSchema(FlowFile, 'Setia flow file')],
    [join(flowsDir, SCHEMA_FILES.tests), jsonSchema(TestFile, 'Setia conversation test')],
  ];
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    out.write(`wrote ${path}\n`);
  }
  out.write('Editors with YAML support read them through the first line of each file: # yaml-language-server: $schema=…\n');
  return 0;
}
