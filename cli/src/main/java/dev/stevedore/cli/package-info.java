/**
 * The {@code stevedore} command line. Run {@code ./stevedore --help} from the repository root, or
 * {@link dev.stevedore.cli.Main#main} from your own launcher.
 */
@NullMarked
package dev.stevedore.cli;

import org.jspecify.annotations.NullMarked;
