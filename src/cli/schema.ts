import { experimentJsonSchema } from '../experiment/json-schema.js';

export function schemaCommand(): number {
  process.stdout.write(JSON.stringify(experimentJsonSchema(), null, 2) + '\n');
  return 0;
}
