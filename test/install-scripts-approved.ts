/**
 * Packages allowed to run an npm install script (the lock's `hasInstallScript`), each reviewed with a reason.
 * `npm run assure` (suite `supply`) fails when package-lock.json holds a package with an install script that is not
 * listed here, or when an installed copy's lifecycle scripts differ from the reviewed ones below.
 * To add one: read its preinstall/install/postinstall script, say here what it does and why we need the package.
 */
export interface ApprovedInstallScript {
  /** The lifecycle scripts as reviewed (package.json `scripts`: preinstall, install, postinstall). */
  scripts: { preinstall?: string; install?: string; postinstall?: string };
  reason: string;
}

export const approvedInstallScripts: Record<string, ApprovedInstallScript> = {
  esbuild: {
    scripts: { postinstall: 'node install.js' },
    reason:
      'Checks that the platform binary from its optional dependency (@esbuild/<os>-<arch>, also from the registry) ' +
      'matches the JS API version and links it; no download when that package is installed. Needed by vite, ' +
      'vitest, tsx and drizzle-kit (three copies in the lock: 0.28, 0.25 under drizzle-kit, 0.18 under ' +
      '@esbuild-kit/core-utils). package.json allowScripts keeps it disabled for npm 11; esbuild works without it.',
  },
};
