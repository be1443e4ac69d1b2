/** The version of Annals, as package.json gives it: the one place it is written. */
import manifest from '../../package.json' with { type: 'json' };

export const ANNALS_VERSION: string = manifest.version;
