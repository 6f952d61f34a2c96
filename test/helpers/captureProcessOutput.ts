import { jest } from '@jest/globals';

/**
 * Keeps what is written to stdout and stderr (logs, EMF metrics) in `output` instead of
 * printing it, so a test can check that nothing leaks; `jest.restoreAllMocks()` undoes it.
 */
export const captureProcessOutput = (output: string[]): void => {
  const keep = (chunk: string | Uint8Array): boolean => {
    output.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  jest.spyOn(process.stderr, 'write').mockImplementation(keep);
};
