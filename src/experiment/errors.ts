/**
 * Bad user input: reported as one clear message (file:line:column, field path, what was
 * expected) and exit code 2, never as a stack trace.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
