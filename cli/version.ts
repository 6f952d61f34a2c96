import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package whose version `--version` prints. */
const PACKAGE_NAME = 'cognito-hasura-sync';

/**
 * The version of the installed package, read from its `package.json` (the one source of the
 * version). The file is found by walking up from this module, so the same code works from the
 * sources (`cli/`) and from the build (`dist/cli/`).
 *
 * @param from - the directory to start from.
 * @default from - this module's directory
 * @throws Error when no `package.json` of cognito-hasura-sync is found above `from`.
 *
 * @example
 * cliVersion(); // '0.1.0'
 */
export const cliVersion = (from: string = dirname(fileURLToPath(import.meta.url))): string => {
  for (let directory = from; ; directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    if (dirname(directory) === directory) {
      throw new Error(
        `cannot find the package.json of ${PACKAGE_NAME} above ${from}: reinstall the package`,
      );
    }
  }
};
