/** Exit code for usage errors and unreadable input. */
export const EXIT_USAGE = 2;

/** A mistake in how the tool was called: reported in one line, exit code 2. */
export class UsageError extends Error {}
