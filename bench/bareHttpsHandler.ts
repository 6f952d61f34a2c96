/**
 * The reference of the cold-start section: a Lambda handler that imports `node:https` and
 * nothing else, bundled and imported like the project's functions. Every function's init is
 * reported as a multiple of this one's, measured in the same run.
 */
import { request } from 'node:https';

/** Answers with the type of `node:https`' `request`, so the import is not dropped. */
export const handler = async (): Promise<string> => typeof request;
