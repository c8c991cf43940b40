/**
 * Example programs: most readers want {@link dev.stevedore.examples.BundlePublisher} (a directory
 * as an OCI artifact, pushed and signed) or {@link dev.stevedore.examples.Mirror} (copying images
 * and their referrers). Each class has a {@code main} that prints what it did, and one public
 * method that does the work, called by its test.
 */
@NullMarked
package dev.stevedore.examples;

import org.jspecify.annotations.NullMarked;
